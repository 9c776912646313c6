import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  domainEntityV1alpha1Validator,
  EntityPolicies,
  entitySchemaValidator,
  FieldFormatEntityPolicy,
  locationEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  type Entity,
} from '@backstage/catalog-model';
import { toError } from '@backstage/errors';
import type { Finding } from './findings';

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

const entitySchema = entitySchemaValidator();

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `kind/name` of a document, as far as it can be read. */
function labelOf(object: unknown): string {
  const record = isRecord(object) ? object : {};
  const metadata = isRecord(record.metadata) ? record.metadata : {};
  return `${String(record.kind)}/${String(metadata.name ?? '?')}`;
}

const kindValidators = [
  componentEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  apiEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
];

/** Fields whose values are entity refs, with the kind assumed when the ref omits it. */
const REFERENCE_FIELDS: Array<{ field: string; defaultKind?: string }> = [
  { field: 'owner', defaultKind: 'group' },
  { field: 'system', defaultKind: 'system' },
  { field: 'domain', defaultKind: 'domain' },
  // The catalog requires the kind in dependsOn refs.
  { field: 'dependsOn' },
  { field: 'providesApis', defaultKind: 'api' },
  { field: 'consumesApis', defaultKind: 'api' },
];

export interface EntityReference {
  /** Entity that refers. */
  from: string;
  field: string;
  /** Full ref, e.g. group:default/team-a. */
  ref: string;
}

export interface EntityCheckResult {
  findings: Finding[];
  entities: Entity[];
  /** Refs to other entities, to be checked against the catalog. */
  references: EntityReference[];
}

/**
 * Runs the catalog's own entity policies and kind validators (what the
 * catalog applies when it ingests the file) and collects the entity refs
 * the entities make.
 */
export async function checkCatalogEntities(
  documents: Array<{ file: string; object: unknown }>,
): Promise<EntityCheckResult> {
  const findings: Finding[] = [];
  const entities: Entity[] = [];
  const references: EntityReference[] = [];
  for (const { file, object } of documents) {
    const label = labelOf(object);
    let entity: Entity;
    try {
      // The catalog's entity schema makes it an Entity; the policies then
      // apply the catalog's defaults and field formats.
      const result = await policy.enforce(
        entitySchema(structuredClone(object)),
      );
      if (!result) throw new Error('rejected by the entity policy');
      entity = result;
      let known = false;
      for (const validator of kindValidators) {
        known = (await validator.check(entity)) || known;
      }
      if (!known) {
        throw new Error(
          `kind ${entity.kind} (${entity.apiVersion}) is not one a golden path may create`,
        );
      }
    } catch (error) {
      findings.push({ file, object: label, message: toError(error).message });
      continue;
    }
    entities.push(entity);
    const from = stringifyEntityRef(entity);
    const spec = (entity.spec ?? {}) as Record<string, unknown>;
    for (const { field, defaultKind } of REFERENCE_FIELDS) {
      const value = spec[field];
      const values = value === undefined ? [] : [value].flat();
      for (const raw of values) {
        try {
          const ref = stringifyEntityRef(
            parseEntityRef(String(raw), {
              defaultKind,
              defaultNamespace: entity.metadata.namespace ?? 'default',
            }),
          );
          references.push({ from, field: `spec.${field}`, ref });
        } catch (error) {
          findings.push({
            file,
            object: label,
            message: `spec.${field}: ${toError(error).message}`,
          });
        }
      }
    }
  }
  return { findings, entities, references };
}
