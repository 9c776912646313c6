import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import { screen, within } from '@testing-library/react';
import { DateTime } from 'luxon';
import { RECENT_RUNS_LIMIT, RecentRunsContent } from './RecentRunsWidget';
import { createRouteRef } from './routes';

type ScaffolderApi = (typeof scaffolderApiRef)['T'];
type Task = Awaited<ReturnType<ScaffolderApi['listTasks']>>['tasks'][number];

const task = (
  id: string,
  title: string,
  status: Task['status'],
  createdAt: string,
): Task => ({
  id,
  status,
  createdAt,
  spec: {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    parameters: {},
    output: {},
    steps: [],
    templateInfo: {
      entityRef: `template:default/${id}`,
      entity: { metadata: { name: id, title } },
    },
  },
});

function renderWidget(listTasks: ScaffolderApi['listTasks']) {
  const scaffolderApi = { listTasks: jest.fn(listTasks) };
  renderInTestApp(
    <TestApiProvider
      apis={[[scaffolderApiRef, scaffolderApi as unknown as ScaffolderApi]]}
    >
      <RecentRunsContent />
    </TestApiProvider>,
    {
      // The task page is a sub-route of Create: /create/tasks/:taskId.
      mountedRoutes: { '/create': createRouteRef },
    },
  );
  return scaffolderApi;
}

describe('RecentRunsContent', () => {
  it("lists the user's own runs with template, status and start time, linking to each task", async () => {
    const twoHoursAgo = DateTime.now().minus({ hours: 2 }).toISO()!;
    const yesterday = DateTime.now().minus({ days: 1, minutes: 5 }).toISO()!;
    const api = renderWidget(async () => ({
      tasks: [
        task('t-1', 'Node service', 'completed', twoHoursAgo),
        task('t-2', 'Python worker', 'failed', yesterday),
      ],
    }));

    const link = await screen.findByRole('link', { name: 'Node service' });
    expect(link).toHaveAttribute('href', '/create/tasks/t-1');
    const first = within(link.closest('li')!);
    expect(first.getByText('Completed')).toBeInTheDocument();
    expect(first.getByText('2 hours ago')).toBeInTheDocument();

    const second = within(
      screen.getByRole('link', { name: 'Python worker' }).closest('li')!,
    );
    expect(second.getByText('Failed')).toBeInTheDocument();
    expect(second.getByText('1 day ago')).toBeInTheDocument();

    expect(api.listTasks).toHaveBeenCalledWith({
      filterByOwnership: 'owned',
      limit: RECENT_RUNS_LIMIT,
    });
    expect(
      screen.getByRole('link', { name: 'Run another golden path' }),
    ).toHaveAttribute('href', '/create');
  });

  it('invites the user to Create when they have no runs', async () => {
    renderWidget(async () => ({ tasks: [] }));

    expect(
      await screen.findByText(/You have not run a golden path yet\./),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Create a service from a golden path' }),
    ).toHaveAttribute('href', '/create');
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('says when the runs cannot be loaded', async () => {
    renderWidget(async () => {
      throw new Error('scaffolder is unreachable');
    });

    expect(
      await screen.findByText(/Could not load your golden-path runs/),
    ).toBeInTheDocument();
    expect(screen.getByText('scaffolder is unreachable')).toBeVisible();
  });
});
