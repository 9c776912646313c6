import { Entity } from '@backstage/catalog-model';
import { toError } from '@backstage/errors';
import {
  KubernetesObjectCacheService,
  WATCHED_RESOURCES,
} from '@paved/plugin-kubernetes-status-node';
import {
  GatekeeperConstraintAudit,
  PolicyViolation,
  ViolationLevel,
} from '@paved/plugin-policy-common';

/** A constraint's audit state as stored (staleness is decided when read). */
export type StoredConstraintAudit = Omit<GatekeeperConstraintAudit, 'stale'>;

interface AuditedViolation {
  constraint: StoredConstraintAudit;
  message: string;
  enforcementAction?: string;
  group?: string;
  version?: string;
}

const LEVEL_BY_ACTION: Record<string, ViolationLevel> = {
  deny: 'error',
  warn: 'warning',
  dryrun: 'info',
};

// Every namespaced object of an entity that Gatekeeper may report,
// controller-owned included (the GitOps objects are the tools', not the entity's).
const ENTITY_OBJECT_RESOURCES = Object.values(WATCHED_RESOURCES)
  .filter(r => r.entityScope === 'labels-in-namespaces')
  .map(r => r.key);

const objectKey = (
  cluster: string,
  kind: string,
  namespace: string | undefined,
  name: string,
) => `${cluster}\u0000${kind}\u0000${namespace ?? ''}\u0000${name}`;

/**
 * Gatekeeper's audit results of every cluster, read once per run, with
 * violations indexed by the object they are about.
 */
export class GatekeeperAuditSnapshot {
  readonly errors: string[] = [];
  private readonly byObject = new Map<string, AuditedViolation[]>();
  private readonly constraintsByCluster = new Map<
    string,
    StoredConstraintAudit[]
  >();
  private readonly unreadable = new Set<string>();

  static async read(
    cache: KubernetesObjectCacheService,
  ): Promise<GatekeeperAuditSnapshot> {
    const snapshot = new GatekeeperAuditSnapshot();
    await Promise.all(
      cache.clusters().map(async cluster => {
        try {
          const list = await cache.listGatekeeperConstraints(cluster.name);
          snapshot.add(cluster.name, cluster.simulated, list.constraints);
        } catch (error) {
          snapshot.unreadable.add(cluster.name);
          snapshot.errors.push(
            `Gatekeeper audit of cluster ${cluster.name} not readable: ${
              toError(error).message
            }`,
          );
        }
      }),
    );
    return snapshot;
  }

  private add(
    cluster: string,
    simulated: boolean,
    constraints: Array<Record<string, any>>,
  ) {
    const audits: StoredConstraintAudit[] = [];
    for (const c of constraints) {
      const status = c.status ?? {};
      const violations: any[] = Array.isArray(status.violations)
        ? status.violations
        : [];
      const total =
        typeof status.totalViolations === 'number'
          ? status.totalViolations
          : violations.length;
      const constraint: StoredConstraintAudit = {
        cluster,
        ...(simulated ? { simulated: true } : {}),
        constraintKind: String(c.kind),
        constraintName: String(c.metadata?.name),
        enforcementAction: c.spec?.enforcementAction ?? 'deny',
        auditTimestamp:
          typeof status.auditTimestamp === 'string'
            ? status.auditTimestamp
            : undefined,
        totalViolations: total,
        reportedViolations: violations.length,
        truncated: total > violations.length,
      };
      audits.push(constraint);
      for (const v of violations) {
        if (!v?.kind || !v?.name) continue;
        const key = objectKey(cluster, v.kind, v.namespace, v.name);
        const list = this.byObject.get(key) ?? [];
        list.push({
          constraint,
          message: String(v.message ?? ''),
          enforcementAction: v.enforcementAction,
          group: v.group,
          version: v.version,
        });
        this.byObject.set(key, list);
      }
    }
    this.constraintsByCluster.set(cluster, audits);
  }

  /**
   * The entity's Gatekeeper findings and the audit state of the constraints
   * in its clusters; undefined when the entity has no Kubernetes annotations
   * or one of its clusters could not be read (keep what is stored).
   */
  forEntity(
    cache: KubernetesObjectCacheService,
    entity: Entity,
    stamp: { now: string },
  ):
    | { findings: PolicyViolation[]; audits: StoredConstraintAudit[] }
    | undefined {
    const { selector, clusters: found } = cache.listForEntity(entity, {
      resources: ENTITY_OBJECT_RESOURCES,
    });
    if (!selector) return undefined;
    const findings: PolicyViolation[] = [];
    const clusters = new Set<string>();
    for (const { cluster, objects: byType } of found) {
      for (const objects of Object.values(byType)) {
        for (const object of objects) {
          const name = object.metadata?.name;
          if (!name) continue;
          clusters.add(cluster.name);
          const violations = this.byObject.get(
            objectKey(
              cluster.name,
              object.kind,
              object.metadata?.namespace,
              name,
            ),
          );
          for (const v of violations ?? []) {
            const action =
              v.enforcementAction ?? v.constraint.enforcementAction ?? 'deny';
            findings.push({
              source: 'gatekeeper',
              policy: `constraints.gatekeeper.sh/${v.constraint.constraintKind}`,
              id: v.constraint.constraintName,
              level: LEVEL_BY_ACTION[action] ?? 'error',
              message: v.message,
              resource: {
                apiVersion: v.group ? `${v.group}/${v.version}` : v.version,
                kind: object.kind,
                namespace: object.metadata?.namespace,
                name,
                cluster: cluster.name,
                ...(cluster.simulated ? { simulated: true } : {}),
              },
              evaluatedAt: v.constraint.auditTimestamp ?? stamp.now,
              policyRevision: `gatekeeper-audit@${
                v.constraint.auditTimestamp ?? 'never'
              }`,
            });
          }
        }
      }
    }
    if ([...clusters].some(c => this.unreadable.has(c))) return undefined;
    const audits = [...clusters]
      .sort()
      .flatMap(c => this.constraintsByCluster.get(c) ?? []);
    return { findings, audits };
  }
}
