import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import GavelIcon from '@material-ui/icons/Gavel';
import { PolicyClient, policyApiRef } from './api/PolicyApi';
import { complianceRouteRef, policyLibraryRouteRef } from './routes';

const api = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: policyApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PolicyClient(deps),
    }),
});

// Title and icon make it a sidebar item ('Compliance'); the page renders its
// own header with the Fleet / Policy library tabs.
const compliancePage = PageBlueprint.make({
  params: {
    path: '/compliance',
    title: 'Compliance',
    icon: <GavelIcon />,
    noHeader: true,
    routeRef: complianceRouteRef,
    loader: () =>
      import('./components/CompliancePage').then(m => <m.CompliancePage />),
  },
});

const entityContent = EntityContentBlueprint.make({
  params: {
    path: 'policies',
    title: 'Policies',
    loader: () =>
      import('./components/EntityPoliciesContent').then(m => (
        <m.EntityPoliciesContent />
      )),
  },
});

const entityCard = EntityCardBlueprint.make({
  name: 'compliance',
  params: {
    loader: () =>
      import('./components/PolicyComplianceCard').then(m => (
        <m.PolicyComplianceCard />
      )),
  },
});

/**
 * Policy compliance (new frontend system only): entity card and Policies
 * tab, Compliance page (sidebar) with the Policy library, and the API
 * client.
 * @public
 */
export const policyPlugin = createFrontendPlugin({
  pluginId: 'policy',
  title: 'Policy compliance',
  icon: <GavelIcon />,
  routes: {
    compliance: complianceRouteRef,
    library: policyLibraryRouteRef,
  },
  extensions: [api, compliancePage, entityContent, entityCard],
});
