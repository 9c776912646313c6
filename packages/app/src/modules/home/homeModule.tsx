import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Welcome to Paved

Paved is your platform's developer portal.

- **Catalog**: every service, API, resource and team of the platform stack, in the [catalog](/catalog).
- **Create**: golden-path templates that scaffold a new service already wired into the platform, under [Create](/create).
- **Docs**: each component's TechDocs on its TechDocs tab; the portal's own guide lives on the
  [paved-portal docs](/docs/default/component/paved-portal).
- **Register**: bring an existing repository in through *Create → Register existing component*.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'Where to start in Paved',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
