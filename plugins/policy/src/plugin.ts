import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { PolicyClient, policyApiRef } from './api/PolicyApi';
import { complianceRouteRef, policyLibraryRouteRef } from './routes';

/** Legacy frontend plugin. @public */
export const policyPlugin = createPlugin({
  id: 'policy',
  apis: [
    createApiFactory({
      api: policyApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PolicyClient(deps),
    }),
  ],
  routes: { compliance: complianceRouteRef, library: policyLibraryRouteRef },
});

/** The Compliance page with its Policy library tab. @public */
export const PolicyCompliancePage = policyPlugin.provide(
  createRoutableExtension({
    name: 'PolicyCompliancePage',
    component: () =>
      import('./components/CompliancePage').then(m => m.CompliancePage),
    mountPoint: complianceRouteRef,
  }),
);

/** The entity tab 'Policies'. @public */
export const EntityPoliciesContent = policyPlugin.provide(
  createComponentExtension({
    name: 'EntityPoliciesContent',
    component: {
      lazy: () =>
        import('./components/EntityPoliciesContent').then(
          m => m.EntityPoliciesContent,
        ),
    },
  }),
);

/** The entity overview card. @public */
export const EntityPolicyComplianceCard = policyPlugin.provide(
  createComponentExtension({
    name: 'EntityPolicyComplianceCard',
    component: {
      lazy: () =>
        import('./components/PolicyComplianceCard').then(
          m => m.PolicyComplianceCard,
        ),
    },
  }),
);
