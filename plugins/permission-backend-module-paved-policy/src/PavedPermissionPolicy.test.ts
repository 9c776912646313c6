import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  taskCancelPermission,
  taskCreatePermission,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { kubernetesLogsReadPermission } from '@paved/plugin-kubernetes-status-common';
import {
  policyAdminPermission,
  policyEntityFindingsReadPermission,
  policyEvaluatePermission,
  policyFindingsReadPermission,
} from '@paved/plugin-policy-common';
import { PavedPermissionPolicy } from './PavedPermissionPolicy';

function userOf(ref: string, ownership: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ref,
      ownershipEntityRefs: ownership,
    },
    credentials: {} as PolicyQueryUser['credentials'],
    info: { userEntityRef: ref, ownershipEntityRefs: ownership },
    token: 'token',
  } as PolicyQueryUser;
}

describe('PavedPermissionPolicy', () => {
  const policy = new PavedPermissionPolicy({
    adminGroups: ['group:default/platform-team'],
  });
  const developer = userOf('user:default/carol', [
    'user:default/carol',
    'group:default/team-commerce',
  ]);
  const admin = userOf('user:default/alice', [
    'user:default/alice',
    'group:default/Platform-Team',
  ]);

  it('denies requests without a user', async () => {
    const decision = await policy.handle({
      permission: catalogEntityReadPermission,
    });
    expect(decision.result).toBe(AuthorizeResult.DENY);
  });

  it('lets signed-in users read and use self-service', async () => {
    for (const permission of [
      catalogEntityReadPermission,
      catalogLocationCreatePermission,
      taskCreatePermission,
    ]) {
      const decision = await policy.handle({ permission }, developer);
      expect({ name: permission.name, result: decision.result }).toEqual({
        name: permission.name,
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('denies administrative actions to developers and allows them to admins', async () => {
    const custom = createPermission({
      name: 'paved.custom.delete',
      attributes: { action: 'delete' },
    });
    for (const permission of [
      catalogLocationDeletePermission,
      templateManagementPermission,
      custom,
    ]) {
      expect((await policy.handle({ permission }, developer)).result).toBe(
        AuthorizeResult.DENY,
      );
      expect((await policy.handle({ permission }, admin)).result).toBe(
        AuthorizeResult.ALLOW,
      );
    }
  });

  it('lets owners delete only their own entities', async () => {
    const decision = await policy.handle(
      { permission: catalogEntityDeletePermission },
      developer,
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/carol', 'group:default/team-commerce'],
        },
      },
    });
  });

  it('lets only owners read container logs', async () => {
    const decision = await policy.handle(
      { permission: kubernetesLogsReadPermission },
      developer,
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      conditions: { rule: 'IS_ENTITY_OWNER' },
    });
    expect(
      (await policy.handle({ permission: kubernetesLogsReadPermission }, admin))
        .result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('lets everyone read policy findings, owners re-evaluate, and only admins run the fleet', async () => {
    for (const permission of [
      policyFindingsReadPermission,
      policyEntityFindingsReadPermission,
    ]) {
      expect((await policy.handle({ permission }, developer)).result).toBe(
        AuthorizeResult.ALLOW,
      );
    }
    expect(
      await policy.handle({ permission: policyEvaluatePermission }, developer),
    ).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      conditions: { rule: 'IS_ENTITY_OWNER' },
    });
    expect(
      (await policy.handle({ permission: policyAdminPermission }, developer))
        .result,
    ).toBe(AuthorizeResult.DENY);
    expect(
      (await policy.handle({ permission: policyAdminPermission }, admin))
        .result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('limits task cancellation to the task creator', async () => {
    const decision = await policy.handle(
      { permission: taskCancelPermission },
      developer,
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'scaffolder',
      conditions: {
        rule: 'IS_TASK_OWNER',
        params: { createdBy: ['user:default/carol'] },
      },
    });
  });
});
