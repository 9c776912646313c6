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
import {
  convertLegacyRouteRef,
  compatWrapper,
} from '@backstage/core-compat-api';
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
    routeRef: convertLegacyRouteRef(complianceRouteRef),
    loader: () =>
      import('./components/CompliancePage').then(m =>
        compatWrapper(<m.CompliancePage />),
      ),
  },
});

const entityContent = EntityContentBlueprint.make({
  params: {
    path: 'policies',
    title: 'Policies',
    loader: () =>
      import('./components/EntityPoliciesContent').then(m =>
        compatWrapper(<m.EntityPoliciesContent />),
      ),
  },
});

const entityCard = EntityCardBlueprint.make({
  name: 'compliance',
  params: {
    loader: () =>
      import('./components/PolicyComplianceCard').then(m =>
        compatWrapper(<m.PolicyComplianceCard />),
      ),
  },
});

/**
 * Policy compliance for the new frontend system: entity card and Policies
 * tab, Compliance page (sidebar) with the Policy library.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'policy',
  title: 'Policy compliance',
  icon: <GavelIcon />,
  routes: {
    compliance: convertLegacyRouteRef(complianceRouteRef),
    library: convertLegacyRouteRef(policyLibraryRouteRef),
  },
  extensions: [api, compliancePage, entityContent, entityCard],
});
