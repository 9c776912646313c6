import {
  PolicyDecision,
  AuthorizeResult,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
  catalogEntityCreatePermission,
  catalogLocationCreatePermission,
  catalogLocationAnalyzePermission,
  catalogEntityValidatePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  actionExecutePermission,
  taskCreatePermission,
  taskCancelPermission,
  taskReadPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { kubernetesLogsReadPermission } from '@paved/plugin-kubernetes-status-common';
import { policyEvaluatePermission } from '@paved/plugin-policy-common';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';

/** Options for {@link PavedPermissionPolicy}. */
export interface PavedPermissionPolicyOptions {
  /** Entity refs of groups whose members may do everything. */
  adminGroups: string[];
}

// Self-service: what any signed-in developer needs to register components
// and run golden-path templates.
const selfServicePermissions = new Set(
  [
    catalogEntityCreatePermission,
    catalogLocationCreatePermission,
    catalogLocationAnalyzePermission,
    catalogEntityValidatePermission,
    actionExecutePermission,
    taskCreatePermission,
    templateParameterReadPermission,
    templateStepReadPermission,
  ].map(p => p.name),
);

/**
 * Paved's default permission policy: signed-in users may read and use
 * self-service, owners may refresh and delete their own entities, members
 * of the admin groups may administer everything else.
 *
 * @public
 */
export class PavedPermissionPolicy implements PermissionPolicy {
  private readonly adminGroups: Set<string>;

  constructor(options: PavedPermissionPolicyOptions) {
    this.adminGroups = new Set(options.adminGroups.map(g => g.toLowerCase()));
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const ownership = user.info.ownershipEntityRefs ?? [];
    if (ownership.some(ref => this.adminGroups.has(ref.toLowerCase()))) {
      return { result: AuthorizeResult.ALLOW };
    }
    const { permission } = request;
    // Scaffolder tasks can carry secrets in their logs: users see and cancel
    // only the tasks they started.
    if (
      isPermission(permission, taskReadPermission) ||
      isPermission(permission, taskCancelPermission)
    ) {
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({
          createdBy: [user.info.userEntityRef],
        }),
      );
    }
    const readable =
      permission.attributes.action === 'read' &&
      !isPermission(permission, kubernetesLogsReadPermission);
    if (readable || selfServicePermissions.has(permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    // Owners may refresh and delete their entities, read their container
    // logs (logs can hold secrets) and have their policies re-evaluated now.
    if (
      isPermission(permission, catalogEntityDeletePermission) ||
      isPermission(permission, catalogEntityRefreshPermission) ||
      isPermission(permission, kubernetesLogsReadPermission) ||
      isPermission(permission, policyEvaluatePermission)
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownership }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}
