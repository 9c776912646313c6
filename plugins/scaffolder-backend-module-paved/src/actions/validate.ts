import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  readWorkspaceYaml,
  yamlErrorPosition,
  type Located,
  type WorkspaceFileProblem,
} from '@paved/plugin-policy-node';
import {
  TEMPLATE_NAME_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from '../annotations';
import {
  checkCatalogEntities,
  type EntityReference,
} from '../validation/catalogEntities';
import { formatFinding, type Finding } from '../validation/findings';
import { checkKubernetesObjects } from '../validation/kubernetesManifests';
import { examples } from './validate.examples';

export interface ValidateActionOptions {
  /** When given, refs in the entities (owner, system, dependsOn...) must exist in the catalog. */
  catalog?: CatalogService;
  /**
   * With the catalog: the name check also asks with the plugin's own
   * credentials, so a name taken by an entity the user may not read is
   * refused too (named only as "an entity you cannot see").
   */
  auth?: AuthService;
}

/**
 * `paved:validate`: checks the generated project before it is published.
 * The catalog-info.yaml must pass the catalog's own entity validators, name
 * existing owners/systems/dependencies, take no name another entity already
 * has in its namespace, and carry the template annotations of
 * the template that runs; Kubernetes manifests must match the Kubernetes API
 * schemas. Every problem is listed; any problem fails the step.
 *
 * @public
 */
export function createValidateAction(options: ValidateActionOptions = {}) {
  return createTemplateAction({
    id: 'paved:validate',
    description:
      'Validates the generated catalog-info.yaml (catalog validators, existing refs, names not taken, template annotations) and Kubernetes manifests (Kubernetes schemas) in the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'catalog-info.yaml, relative to the workspace. Default: catalog-info.yaml',
            ),
        manifestsPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Directory of Kubernetes manifests (every .yaml below it). Default: none',
            ),
      },
      output: {
        entityRefs: z =>
          z
            .array(z.string())
            .describe('Entities the catalog-info.yaml declares'),
        manifestsChecked: z =>
          z.number().describe('Kubernetes objects validated against a schema'),
      },
    },
    async handler(ctx) {
      const findings: Finding[] = [];
      const root = ctx.workspacePath;

      const catalogInfoPath = ctx.input.catalogInfoPath ?? 'catalog-info.yaml';
      const catalogInfo = await readWorkspaceYaml(root, {
        paths: [catalogInfoPath],
      });
      findings.push(...catalogInfo.problems.map(problemFinding));
      for (const missing of catalogInfo.missing) {
        findings.push({
          file: missing,
          message: 'cannot be read: there is no such file in the workspace',
        });
      }
      const entityCheck = await checkCatalogEntities(
        catalogInfo.documents.map(toChecked),
      );
      findings.push(...entityCheck.findings);
      if (
        catalogInfo.documents.length === 0 &&
        catalogInfo.problems.length === 0 &&
        catalogInfo.missing.length === 0
      ) {
        findings.push({ file: catalogInfoPath, message: 'declares no entity' });
      }
      const catalogFile = catalogInfo.files[0] ?? catalogInfoPath;
      findings.push(
        ...templateAnnotationFindings(
          entityCheck.entities,
          ctx.templateInfo?.entity?.metadata,
          catalogFile,
        ),
      );

      if (options.catalog && entityCheck.entities.length > 0) {
        const { catalog, auth } = options;
        const entities = entityCheck.entities;
        // Checkpointed: a retried task (its entity registered by the first
        // attempt) gets the first verdict back instead of colliding with
        // itself.
        const collisions = await ctx.checkpoint({
          key: `validate.names-free.${entities
            .map(e => stringifyEntityRef(e))
            .join(',')}`,
          fn: async () =>
            nameCollisionFindings({
              catalog,
              userCredentials: await ctx.getInitiatorCredentials(),
              serviceCredentials: auth
                ? await auth.getOwnServiceCredentials()
                : undefined,
              entities,
              file: catalogFile,
            }),
        });
        findings.push(...collisions);
      }

      if (options.catalog && entityCheck.references.length > 0) {
        const credentials = await ctx.getInitiatorCredentials();
        findings.push(
          ...(await missingReferenceFindings(
            options.catalog,
            credentials,
            entityCheck.references,
            entityCheck.entities.map(e => stringifyEntityRef(e)),
            catalogFile,
          )),
        );
      }

      let manifestsChecked = 0;
      if (ctx.input.manifestsPath) {
        // Every YAML file below the directory, nested folders included.
        const manifests = await readWorkspaceYaml(root, {
          paths: [ctx.input.manifestsPath],
        });
        for (const missing of manifests.missing) {
          findings.push({ file: missing, message: 'directory does not exist' });
        }
        findings.push(...manifests.problems.map(problemFinding));
        const manifestCheck = checkKubernetesObjects(
          manifests.documents.map(toChecked),
        );
        findings.push(...manifestCheck.findings);
        manifestsChecked = manifestCheck.checked;
        if (manifestCheck.unchecked.length > 0) {
          ctx.logger.info(
            `No Kubernetes schema for ${[
              ...new Set(manifestCheck.unchecked),
            ].join(', ')}; checked for apiVersion, kind and name only`,
          );
        }
      }

      if (findings.length > 0) {
        for (const finding of findings)
          ctx.logger.error(formatFinding(finding));
        throw new InputError(
          `Validation found ${findings.length} problem(s):\n${findings
            .map(f => `- ${formatFinding(f)}`)
            .join('\n')}`,
        );
      }
      const entityRefs = entityCheck.entities.map(e => stringifyEntityRef(e));
      ctx.logger.info(
        `Valid: ${entityRefs.join(
          ', ',
        )}; ${manifestsChecked} Kubernetes object(s) match their schema`,
      );
      ctx.output('entityRefs', entityRefs);
      ctx.output('manifestsChecked', manifestsChecked);
    },
  });
}

/**
 * The template that runs names itself in `paved.dev/template` and its
 * version in `paved.dev/template-version`; the entities it generates must
 * carry the same values, or drift reports would be wrong.
 */
function templateAnnotationFindings(
  entities: Array<{
    kind: string;
    metadata: { name: string; annotations?: Record<string, string> };
  }>,
  template: { name?: string; annotations?: Record<string, string> } | undefined,
  file: string,
): Finding[] {
  const expectedVersion = template?.annotations?.[TEMPLATE_VERSION_ANNOTATION];
  if (!template?.name || !expectedVersion) return [];
  const findings: Finding[] = [];
  for (const entity of entities) {
    const annotations = entity.metadata.annotations ?? {};
    const object = `${entity.kind}/${entity.metadata.name}`;
    if (annotations[TEMPLATE_NAME_ANNOTATION] !== template.name) {
      findings.push({
        file,
        object,
        message: `annotation ${TEMPLATE_NAME_ANNOTATION} is '${
          annotations[TEMPLATE_NAME_ANNOTATION] ?? ''
        }', expected '${template.name}'`,
      });
    }
    if (annotations[TEMPLATE_VERSION_ANNOTATION] !== expectedVersion) {
      findings.push({
        file,
        object,
        message: `annotation ${TEMPLATE_VERSION_ANNOTATION} is '${
          annotations[TEMPLATE_VERSION_ANNOTATION] ?? ''
        }', expected '${expectedVersion}'`,
      });
    }
  }
  return findings;
}

/** A document as the checks take it. */
function toChecked({ file, value }: Located<unknown>) {
  return { file, object: value };
}

/** A file the workspace reader could not use, in the words of this action's report. */
function problemFinding(problem: WorkspaceFileProblem): Finding {
  const { file, kind, detail } = problem;
  switch (kind) {
    case 'invalid-yaml':
      return {
        file,
        message: `invalid YAML at ${yamlErrorPosition(problem)}: ${detail}`,
      };
    case 'too-large':
      return { file, message: `too large: ${detail}` };
    default:
      return { file, message: `cannot be read: ${detail}` };
  }
}

/**
 * A generated entity must not take a name another entity (of any kind)
 * already has in its namespace: the catalog would keep the existing one and
 * the new repository's entity would only show up as a conflict in the
 * backend log, while "Open in catalog" opens someone else's service.
 */
async function nameCollisionFindings(options: {
  catalog: CatalogService;
  userCredentials: BackstageCredentials;
  serviceCredentials?: BackstageCredentials;
  entities: Entity[];
  file: string;
}): Promise<Array<{ file: string; object: string; message: string }>> {
  const { catalog, userCredentials, serviceCredentials, entities, file } =
    options;
  // Plain JSON (no optional fields): the checkpoint stores it.
  const findings: Array<{ file: string; object: string; message: string }> = [];
  for (const entity of entities) {
    const name = entity.metadata.name;
    const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
    const ask = async (credentials: BackstageCredentials) =>
      (
        await catalog.getEntities(
          {
            filter: {
              'metadata.name': name,
              'metadata.namespace': namespace,
            },
            fields: [
              'kind',
              'metadata.name',
              'metadata.namespace',
              'spec.owner',
            ],
          },
          { credentials },
        )
      ).items;
    const object = `${entity.kind}/${name}`;
    const visible = await ask(userCredentials);
    for (const existing of visible) {
      const owner =
        typeof existing.spec?.owner === 'string'
          ? `, owned by ${existing.spec.owner}`
          : '';
      findings.push({
        file,
        object,
        message: `the name '${name}' is taken in namespace '${namespace}' by ${stringifyEntityRef(
          existing,
        )}${owner}; choose another name`,
      });
    }
    if (visible.length === 0 && serviceCredentials) {
      const hidden = await ask(serviceCredentials);
      if (hidden.length > 0) {
        findings.push({
          file,
          object,
          message: `the name '${name}' is taken in namespace '${namespace}' by an entity you cannot see; choose another name`,
        });
      }
    }
  }
  return findings;
}

async function missingReferenceFindings(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  references: EntityReference[],
  declaredHere: string[],
  file: string,
): Promise<Finding[]> {
  const external = references.filter(r => !declaredHere.includes(r.ref));
  if (external.length === 0) return [];
  const refs = [...new Set(external.map(r => r.ref))];
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: refs, fields: ['kind', 'metadata.name'] },
    { credentials },
  );
  const missing = new Set(refs.filter((_, index) => !items[index]));
  return external
    .filter(r => missing.has(r.ref))
    .map(r => ({
      file,
      object: r.from,
      message: `${r.field} refers to ${r.ref}, which is not in the catalog`,
    }));
}
