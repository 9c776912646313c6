import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** The Compliance page. @public */
export const complianceRouteRef = createRouteRef();

/** The Policy library tab of the Compliance page. @public */
export const policyLibraryRouteRef = createSubRouteRef({
  parent: complianceRouteRef,
  path: '/library',
});

/** Query parameter of the library selecting a rule (`package/rule`). */
export const POLICY_QUERY_PARAM = 'policy';

/** Query parameter of the library naming a finding id inside that rule. */
export const RULE_ID_QUERY_PARAM = 'rule';
