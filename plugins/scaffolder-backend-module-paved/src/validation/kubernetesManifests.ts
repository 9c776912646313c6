import { stringifyError } from '@backstage/errors';
import * as models from 'kubernetes-models';
import type { Finding } from './findings';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

type ModelClass = new (data: unknown) => { validate(): void };

/** `apps/v1` → models.apps.v1, `networking.k8s.io/v1` → models.networkingK8sIo.v1, `v1` → models.v1. */
function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  const groupKey = group.replace(/\.([a-z])/g, (_, c: string) =>
    c.toUpperCase(),
  );
  const groups = models as unknown as Record<
    string,
    Record<string, Record<string, unknown>>
  >;
  const versions = group ? groups[groupKey] : { [version]: groups.v1 };
  const model = versions?.[version]?.[kind];
  return typeof model === 'function' ? (model as ModelClass) : undefined;
}

export interface ManifestCheckResult {
  findings: Finding[];
  /** `apiVersion/kind` of objects that have no built-in schema (custom resources). */
  unchecked: string[];
  checked: number;
}

/**
 * Validates Kubernetes objects against the OpenAPI schemas of the
 * Kubernetes API (as packaged by kubernetes-models). Custom resources have
 * no schema here and are reported as unchecked, not as errors.
 */
export function checkKubernetesObjects(
  objects: Array<{ file: string; object: unknown }>,
): ManifestCheckResult {
  const findings: Finding[] = [];
  const unchecked: string[] = [];
  let checked = 0;
  for (const { file, object: manifest } of objects) {
    if (!isRecord(manifest)) {
      findings.push({ file, message: 'document is not an object' });
      continue;
    }
    const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
    const label = `${String(manifest.kind)}/${String(metadata.name ?? '?')}`;
    if (
      typeof manifest.apiVersion !== 'string' ||
      typeof manifest.kind !== 'string'
    ) {
      findings.push({
        file,
        object: label,
        message: 'apiVersion and kind are required strings',
      });
      continue;
    }
    if (typeof metadata.name !== 'string' || !metadata.name) {
      findings.push({
        file,
        object: label,
        message: 'metadata.name is required',
      });
    }
    const Model = modelFor(manifest.apiVersion, manifest.kind);
    if (!Model) {
      unchecked.push(`${manifest.apiVersion}/${manifest.kind}`);
      continue;
    }
    checked += 1;
    try {
      new Model(manifest).validate();
    } catch (error) {
      const details = (
        error as { errors?: Array<{ instancePath: string; message?: string }> }
      ).errors;
      if (details?.length) {
        for (const detail of details) {
          findings.push({
            file,
            object: label,
            message: `${detail.instancePath || '/'} ${
              detail.message ?? 'is invalid'
            }`,
          });
        }
      } else {
        findings.push({ file, object: label, message: stringifyError(error) });
      }
    }
  }
  return { findings, unchecked, checked };
}
