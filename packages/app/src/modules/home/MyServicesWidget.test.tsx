import { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/frontend-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  KubernetesStatusApi,
  kubernetesStatusApiRef,
} from '@paved/plugin-kubernetes-status';
import { PolicyApi, policyApiRef } from '@paved/plugin-policy';
import { screen, within } from '@testing-library/react';
import { MAX_SERVICES, MyServicesContent } from './MyServicesWidget';
import { catalogIndexRouteRef } from './routes';

type EntityStatus = Awaited<ReturnType<KubernetesStatusApi['getEntityStatus']>>;
type ComplianceList = Awaited<ReturnType<PolicyApi['getCompliance']>>;

const refs = ['user:default/guest', 'group:default/team-commerce'];

const component = (
  name: string,
  title: string,
  kubernetesId?: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    title,
    annotations: kubernetesId
      ? { 'backstage.io/kubernetes-id': kubernetesId }
      : {},
  },
  spec: { type: 'service' },
});

const orders = component('orders-service', 'Orders service', 'orders-service');
const payments = component('payments', 'Payments', 'payments');
const library = component('commerce-lib', 'Commerce library');

const status = (health: EntityStatus['health']): EntityStatus => ({
  entityRef: 'component:default/x',
  selector: { labelSelector: 'backstage.io/kubernetes-id=x' },
  health,
  clusters: [],
  drift: [],
  generatedAt: '2026-01-01T00:00:00Z',
});

const complianceItem = (
  name: string,
  compliance: ComplianceList['items'][number]['compliance'],
) => ({
  entityRef: `component:default/${name}`,
  kind: 'Component',
  namespace: 'default',
  name,
  compliance,
});

const counts = (error: number, warning: number) => ({
  error,
  warning,
  info: 0,
});

const complianceList = (
  items: ComplianceList['items'],
  engine: ComplianceList['engine'] = { configured: true },
): ComplianceList => ({
  engine,
  items,
  totalCount: items.length,
  offset: 0,
  limit: 500,
});

const never = () => new Promise<never>(() => {});

/** Every method a jest mock; the ones not given never resolve. */
function mocked<T extends object>(impl: T): jest.Mocked<T> {
  return Object.fromEntries(
    Object.entries(impl).map(([key, fn]) => [key, jest.fn(fn)]),
  ) as unknown as jest.Mocked<T>;
}

const mockKubernetes = (
  getEntityStatus: KubernetesStatusApi['getEntityStatus'],
) =>
  mocked<KubernetesStatusApi>({
    getEntityStatus,
    getEntityDiagnostics: never,
    getClusters: never,
    getPodLogs: never,
  });

const mockPolicy = (getCompliance: PolicyApi['getCompliance']) =>
  mocked<PolicyApi>({
    getEntityFindings: never,
    evaluateEntity: never,
    getCompliance,
    getTrend: never,
    getEngineHealth: never,
    getPolicies: never,
    triggerRun: never,
  });

function renderWidget(options: {
  entities: Entity[];
  kubernetes: KubernetesStatusApi;
  policy: PolicyApi;
  ownershipEntityRefs?: string[];
}) {
  const catalogApi = catalogApiMock.mock({
    getEntities: jest.fn(async () => ({ items: options.entities })),
  });
  renderInTestApp(
    <TestApiProvider
      apis={[
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: options.ownershipEntityRefs ?? refs,
          }),
        ],
        [catalogApiRef, catalogApi],
        [kubernetesStatusApiRef, options.kubernetes],
        [policyApiRef, options.policy],
      ]}
    >
      <MyServicesContent />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog': catalogIndexRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
  return { catalogApi };
}

/** The list item of the service with this title. */
async function row(title: string) {
  const link = await screen.findByRole('link', { name: title });
  const item = link.closest('li');
  if (!item) throw new Error(`no list item around ${title}`);
  return within(item);
}

describe('MyServicesContent', () => {
  it('lists the owned components with their health and compliance, each linking to its entity page', async () => {
    const kubernetes = mockKubernetes(async ref =>
      status(ref.name === 'orders-service' ? 'ok' : 'failing'),
    );
    const policy = mockPolicy(async () =>
      complianceList([
        complianceItem('orders-service', {
          status: 'passing',
          counts: counts(0, 0),
        }),
        complianceItem('payments', {
          status: 'failing',
          counts: counts(2, 1),
        }),
      ]),
    );
    const { catalogApi } = renderWidget({
      entities: [orders, payments],
      kubernetes,
      policy,
    });

    const ordersRow = await row('Orders service');
    expect(await ordersRow.findByText('OK')).toBeInTheDocument();
    expect(await ordersRow.findByText('Passing')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Orders service' }),
    ).toHaveAttribute('href', '/catalog/default/component/orders-service');

    const paymentsRow = await row('Payments');
    expect(await paymentsRow.findByText('Failing')).toBeInTheDocument();
    expect(
      await paymentsRow.findByText('Failing (2 errors)'),
    ).toBeInTheDocument();

    // Owned through the user or any of their groups, Components only.
    expect(catalogApi.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: { kind: 'Component', 'relations.ownedBy': refs },
        limit: MAX_SERVICES + 1,
      }),
    );
    // Compliance in one fleet call for every row, not one per service.
    expect(policy.getCompliance).toHaveBeenCalledTimes(1);
    expect(policy.getCompliance).toHaveBeenCalledWith(
      expect.objectContaining({ owner: refs, kind: ['Component'] }),
    );
    expect(kubernetes.getEntityStatus).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'payments',
    });
    expect(
      screen.getByRole('link', { name: 'All your components in the catalog' }),
    ).toHaveAttribute(
      'href',
      '/catalog?filters[kind]=component&filters[user]=owned',
    );
  });

  it('keeps the list and the compliance when the Kubernetes backend fails', async () => {
    const kubernetes = mockKubernetes(async () => {
      throw new Error('kubernetes-status is down');
    });
    const policy = mockPolicy(async () =>
      complianceList([
        complianceItem('orders-service', {
          status: 'warnings',
          counts: counts(0, 1),
        }),
      ]),
    );
    renderWidget({ entities: [orders], kubernetes, policy });

    const ordersRow = await row('Orders service');
    expect(
      await ordersRow.findByText('Health unavailable'),
    ).toBeInTheDocument();
    expect(
      ordersRow.getByText('kubernetes-status is down'),
    ).toBeInTheDocument();
    expect(
      await ordersRow.findByText('Warnings (1 warning)'),
    ).toBeInTheDocument();
  });

  it('shows a slow Kubernetes answer as checking, without holding back the compliance', async () => {
    const policy = mockPolicy(async () =>
      complianceList([
        complianceItem('orders-service', {
          status: 'passing',
          counts: counts(0, 0),
        }),
      ]),
    );
    renderWidget({
      entities: [orders],
      kubernetes: mockKubernetes(never),
      policy,
    });

    const ordersRow = await row('Orders service');
    expect(await ordersRow.findByText('Passing')).toBeInTheDocument();
    expect(
      within(ordersRow.getByRole('group', { name: 'Kubernetes' })).getByText(
        'Checking…',
      ),
    ).toBeInTheDocument();
  });

  it('keeps the list and the health when the policy backend fails', async () => {
    const kubernetes = mockKubernetes(async () => status('degraded'));
    const policy = mockPolicy(async () => {
      throw new Error('policy backend timed out');
    });
    renderWidget({ entities: [orders], kubernetes, policy });

    const ordersRow = await row('Orders service');
    expect(
      await ordersRow.findByText('Compliance unavailable'),
    ).toBeInTheDocument();
    expect(ordersRow.getByText('policy backend timed out')).toBeInTheDocument();
    expect(await ordersRow.findByText('Degraded')).toBeInTheDocument();
  });

  it('says a component has no Kubernetes annotations without asking the backend, and why compliance is unknown', async () => {
    const kubernetes = mockKubernetes(async () => status('unknown'));
    const policy = mockPolicy(async () =>
      complianceList([
        complianceItem('commerce-lib', {
          status: 'unknown',
          counts: counts(0, 0),
          reason: 'skipped',
          reasonMessage: 'Opted out with paved.dev/policy-skip',
        }),
      ]),
    );
    renderWidget({ entities: [library, payments], kubernetes, policy });

    const libraryRow = await row('Commerce library');
    expect(
      libraryRow.getByText('No Kubernetes annotations'),
    ).toBeInTheDocument();
    expect(
      await libraryRow.findByText('Opted out with paved.dev/policy-skip'),
    ).toBeInTheDocument();
    expect(libraryRow.getByText('Unknown')).toBeInTheDocument();
    expect(kubernetes.getEntityStatus).toHaveBeenCalledTimes(1);
    expect(kubernetes.getEntityStatus).not.toHaveBeenCalledWith(
      expect.objectContaining({ name: 'commerce-lib' }),
    );

    // Absent from the fleet list: unknown, never passing.
    const paymentsRow = await row('Payments');
    expect(
      await paymentsRow.findByText('Not evaluated yet'),
    ).toBeInTheDocument();
    expect(paymentsRow.queryByText('Passing')).not.toBeInTheDocument();
    // Its health is unknown too: shown as Unknown, not as OK.
    const health = within(
      paymentsRow.getByRole('group', { name: 'Kubernetes' }),
    );
    expect(await health.findByText('Unknown')).toBeInTheDocument();
    expect(paymentsRow.queryByText('OK')).not.toBeInTheDocument();
  });

  it('says policy checks are not set up, without the configuration advice meant for admins', async () => {
    const policy = mockPolicy(async () =>
      complianceList(
        [
          complianceItem('orders-service', {
            status: 'unknown',
            counts: counts(0, 0),
            reason: 'not-configured',
            reasonMessage: 'Set policy.opa.baseUrl',
          }),
        ],
        { configured: false, message: 'Set policy.opa.baseUrl' },
      ),
    );
    renderWidget({
      entities: [orders],
      kubernetes: mockKubernetes(async () => status('ok')),
      policy,
    });

    const ordersRow = await row('Orders service');
    expect(
      await ordersRow.findByText('Policy checks are not set up in this portal'),
    ).toBeInTheDocument();
    expect(ordersRow.getByText('Unknown')).toBeInTheDocument();
    expect(
      ordersRow.queryByText(/policy\.opa\.baseUrl/),
    ).not.toBeInTheDocument();
  });

  it('says when the user owns no components, and asks no backend for them', async () => {
    const kubernetes = mockKubernetes(async () => status('ok'));
    const policy = mockPolicy(async () => complianceList([]));
    renderWidget({ entities: [], kubernetes, policy });

    expect(
      await screen.findByText(/You own no components\./),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Browse the catalog' }),
    ).toHaveAttribute('href', '/catalog');
    expect(policy.getCompliance).not.toHaveBeenCalled();
    expect(kubernetes.getEntityStatus).not.toHaveBeenCalled();
  });

  it(`lists at most ${MAX_SERVICES} services and says the list is cut`, async () => {
    const many = Array.from({ length: MAX_SERVICES + 1 }, (_, i) =>
      component(`svc-${i}`, `Service ${i}`),
    );
    renderWidget({
      entities: many,
      kubernetes: mockKubernetes(async () => status('ok')),
      policy: mockPolicy(async () => complianceList([])),
    });

    const list = await screen.findByRole('list', { name: 'My services' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(MAX_SERVICES);
    expect(
      screen.queryByRole('link', { name: `Service ${MAX_SERVICES}` }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(`Showing the first ${MAX_SERVICES}.`, { exact: false }),
    ).toBeInTheDocument();
  });
});
