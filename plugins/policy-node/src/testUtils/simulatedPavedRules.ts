// SIMULATED policy decisions for template CI and the browser tests. No OPA
// runs on these machines: the simulated OPA server answers with these
// JavaScript functions. Each mirrors one rule of
// policies/catalog/catalog.rego or policies/workload/workload.rego (same id,
// level and message) and reads the same input the Rego reads, so a wrong
// input shape from policy:check changes the findings. They are not the Rego
// rules; policies/ has its own tests.

/** OPA Data API paths of the two entry points policy:check calls. */
export const SIMULATED_CATALOG_ENTRYPOINT = 'paved/catalog/violations';
export const SIMULATED_WORKLOAD_ENTRYPOINT = 'paved/workload/violations';

export interface SimulatedViolation {
  id: string;
  level: 'error' | 'warning' | 'info';
  message: string;
  remediation: string;
  resource?: {
    apiVersion: string;
    kind: string;
    name: string;
    namespace?: string;
  };
}

const OWNED_KINDS = ['Component', 'API', 'Resource', 'System', 'Domain'];
const LIFECYCLES = ['experimental', 'production', 'deprecated'];

/** Mirrors owner-set, owner-resolvable and lifecycle-valid of paved.catalog. */
export function simulatedCatalogRules(input: any): SimulatedViolation[] {
  const violations: SimulatedViolation[] = [];
  const { entity } = input;
  const owner = entity.spec?.owner ?? '';
  if (OWNED_KINDS.includes(entity.kind) && owner === '') {
    violations.push({
      id: 'owner-set',
      level: 'error',
      message: 'spec.owner is not set',
      remediation: 'Set spec.owner to a Group reference.',
    });
  }
  if (
    OWNED_KINDS.includes(entity.kind) &&
    owner !== '' &&
    input.owner === null
  ) {
    violations.push({
      id: 'owner-resolvable',
      level: 'error',
      message: `spec.owner ${owner} does not match any entity in the catalog`,
      remediation: 'Fix the reference in spec.owner.',
    });
  }
  const lifecycle = entity.spec?.lifecycle ?? '';
  if (
    ['Component', 'API'].includes(entity.kind) &&
    !LIFECYCLES.includes(lifecycle)
  ) {
    violations.push({
      id: 'lifecycle-valid',
      level: 'error',
      message: `spec.lifecycle ${lifecycle} is not one of experimental, production, deprecated`,
      remediation:
        'Set spec.lifecycle to experimental, production or deprecated.',
    });
  }
  return violations;
}

const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
const LONG_RUNNING_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

function resourceOf(manifest: any) {
  return {
    apiVersion: manifest.apiVersion,
    kind: manifest.kind,
    name: manifest.metadata?.name,
    ...(manifest.metadata?.namespace
      ? { namespace: manifest.metadata.namespace }
      : {}),
  };
}

function imageTag(image: string): string {
  const nameAndTag = image.split('/').pop()!.split(':');
  return nameAndTag.length === 2 ? nameAndTag[1] : '';
}

/** Mirrors resource-limits, run-as-non-root, image-pinned, readiness-probe and liveness-probe of paved.workload. */
export function simulatedWorkloadRules(input: any): SimulatedViolation[] {
  const violations: SimulatedViolation[] = [];
  for (const manifest of input.manifests as any[]) {
    const path = POD_SPEC_PATHS[manifest.kind];
    if (!path) continue;
    const pod = path.reduce((node, key) => node?.[key], manifest) ?? {};
    const resource = resourceOf(manifest);
    const finding = (
      id: string,
      level: SimulatedViolation['level'],
      message: string,
      remediation: string,
    ) => violations.push({ id, level, message, remediation, resource });
    for (const container of [
      ...(pod.containers ?? []),
      ...(pod.initContainers ?? []),
    ]) {
      if (container.resources?.limits?.memory === undefined) {
        finding(
          'resource-limits',
          'error',
          `container ${container.name} has no resource limits for memory`,
          'Set resources.limits.memory.',
        );
      }
      const nonRoot =
        container.securityContext?.runAsNonRoot === true ||
        (pod.securityContext?.runAsNonRoot === true &&
          container.securityContext?.runAsNonRoot !== false);
      if (!nonRoot) {
        finding(
          'run-as-non-root',
          'error',
          `container ${container.name} may run as root`,
          'Set securityContext.runAsNonRoot: true.',
        );
      }
      const image: string = container.image ?? '';
      if (!image.includes('@') && ['', 'latest'].includes(imageTag(image))) {
        finding(
          'image-pinned',
          'error',
          `container ${container.name} uses image ${image}, which is untagged or tagged latest`,
          'Use an immutable tag or pin the digest.',
        );
      }
    }
    if (!LONG_RUNNING_KINDS.includes(manifest.kind)) continue;
    for (const container of pod.containers ?? []) {
      if (!container.readinessProbe) {
        finding(
          'readiness-probe',
          'error',
          `container ${container.name} has no readinessProbe`,
          'Add readinessProbe.',
        );
      }
      if (!container.livenessProbe) {
        finding(
          'liveness-probe',
          'warning',
          `container ${container.name} has no livenessProbe`,
          'Add livenessProbe.',
        );
      }
    }
  }
  return violations;
}
