import { createPermission } from '@backstage/plugin-permission-common';

/** Read policy findings of an entity. @public */
export const policyEntityFindingsReadPermission = createPermission({
  name: 'policy.entity.findings.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** Read fleet-wide compliance, trend, engine health and the policy library. @public */
export const policyFindingsReadPermission = createPermission({
  name: 'policy.findings.read',
  attributes: { action: 'read' },
});

/** Re-evaluate an entity now (calls the policy engine). @public */
export const policyEvaluatePermission = createPermission({
  name: 'policy.evaluate',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Administer the policy plugin (re-run the whole fleet). @public */
export const policyAdminPermission = createPermission({
  name: 'policy.admin',
  attributes: {},
});

/**
 * Report OPA status (OPA's status API, `POST /api/policy/engine/status`):
 * for the OPA instances' service token, not for users.
 * @public
 */
export const policyEngineReportPermission = createPermission({
  name: 'policy.engine.report',
  attributes: { action: 'create' },
});

/** @public */
export const policyPermissions = [
  policyEngineReportPermission,
  policyEntityFindingsReadPermission,
  policyFindingsReadPermission,
  policyEvaluatePermission,
  policyAdminPermission,
];
