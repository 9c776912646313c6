import { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  countViolations,
  NO_POLICY_ENGINE_MESSAGE,
  ViolationLevel,
} from '@paved/plugin-policy-common';
import { createOpaService, OpaService } from '@paved/plugin-policy-node';
import { readPolicyCheckConfig } from '../config';
import { examples } from './policyCheck.examples';
import {
  catalogPolicyInput,
  describeFinding,
  entitySubject,
  evaluateViolations,
  failsStep,
  formatFindings,
  manifestOf,
  manifestSubject,
  NoPolicyDecisionError,
  PolicyCheckFinding,
} from './policyEvaluation';
import {
  DEFAULT_POLICY_CHECK_FILES,
  readPolicyCheckDocuments,
} from './workspaceFiles';

/** Options of {@link createPolicyCheckAction}. @public */
export interface PolicyCheckActionOptions {
  /** Root config: `policy.opa`, `policy.catalog.entrypoint`, `policy.workload.entrypoint`, `policy.scaffolder`. */
  config: Config;
  /** Resolves the owner and system of checked entities; without it both are null in the input. */
  catalog?: CatalogService;
  /** The backend's OPA connection (`opaServiceRef`); default: `policy.opa` of `config`. */
  opa?: OpaService;
}

/** The action's id. @public */
export const POLICY_CHECK_ACTION_ID = 'policy:check';

// An OPA Data API path: no `..`, no query, nothing but path segments.
const ENTRYPOINT_PATTERN = /^[A-Za-z_][\w-]*(\/[A-Za-z_][\w-]*)*$/;

/**
 * `policy:check`: evaluates the catalog entities and Kubernetes manifests a
 * template generated against the same OPA entry points the policy backend
 * uses. Findings at or above `failOn` fail the step with a readable list;
 * the others are logged. When OPA gives no usable answer the step fails
 * (or, with `policy.scaffolder.onEngineUnavailable: warn`, warns): an
 * unanswered check is never a passed one.
 * @public
 */
export function createPolicyCheckAction(options: PolicyCheckActionOptions) {
  const settings = readPolicyCheckConfig(options.config);
  const opa = (options.opa ?? createOpaService(settings.opa)).client();

  return createTemplateAction({
    id: POLICY_CHECK_ACTION_ID,
    description:
      'Checks generated files against Paved policies in OPA: catalog entities at the catalog entry point ' +
      '(with their owner and system), Kubernetes manifests at the workload entry point. ' +
      'Findings at or above failOn fail the step; the others are logged.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        files: z =>
          z
            .array(z.string().min(1))
            .min(1)
            .optional()
            .describe(
              `Files or globs relative to the workspace. Default: ${DEFAULT_POLICY_CHECK_FILES.join(
                ', ',
              )}. ` +
                'Documents with apiVersion backstage.io/* are catalog entities, other documents with apiVersion and kind are Kubernetes objects.',
            ),
        catalogEntrypoint: z =>
          z
            .string()
            .regex(ENTRYPOINT_PATTERN)
            .optional()
            .describe(
              'OPA Data API path for catalog entities. Default: policy.catalog.entrypoint, else paved/catalog/violations.',
            ),
        workloadEntrypoint: z =>
          z
            .string()
            .regex(ENTRYPOINT_PATTERN)
            .optional()
            .describe(
              'OPA Data API path for Kubernetes manifests. Default: policy.workload.entrypoint, else paved/workload/violations.',
            ),
        failOn: z =>
          z
            .enum(['error', 'warning', 'info', 'never'])
            .optional()
            .describe(
              'Lowest finding level that fails the step. Default: error. "never" only reports.',
            ),
        environment: z =>
          z
            .string()
            .optional()
            .describe(
              'Passed to the workload rules as input.environment, e.g. "production" for the replica rule.',
            ),
      },
      output: {
        findings: z =>
          z
            .array(
              z.object({
                source: z.enum(['catalog', 'workload', 'gatekeeper']),
                policy: z.string(),
                id: z.string(),
                level: z.enum(['error', 'warning', 'info']),
                message: z.string(),
                remediation: z.string().optional(),
                docsUrl: z.string().optional(),
                file: z.string().optional(),
                subject: z.string().optional(),
                decisionId: z.string().optional(),
              }),
            )
            .describe('Every finding, whatever its level'),
        decisionIds: z =>
          z
            .array(z.string())
            .describe(
              "OPA's decision_id of each evaluation, for its decision log",
            ),
        counts: z =>
          z
            .object({
              error: z.number(),
              warning: z.number(),
              info: z.number(),
            })
            .describe('Findings per level'),
        engineAvailable: z =>
          z
            .boolean()
            .describe(
              'False when OPA gave no usable answer and the step went on (onEngineUnavailable: warn)',
            ),
        summary: z =>
          z
            .string()
            .describe(
              'One line for the task output: "Policy-checked: …" with the counts, or "NOT policy-checked: …" with the reason when the step went on without a decision',
            ),
      },
    },
    async handler(ctx) {
      const failOn: ViolationLevel | 'never' = ctx.input.failOn ?? 'error';
      const patterns = ctx.input.files ?? DEFAULT_POLICY_CHECK_FILES;
      const catalogEntrypoint =
        ctx.input.catalogEntrypoint ?? settings.catalogEntrypoint;
      const workloadEntrypoint =
        ctx.input.workloadEntrypoint ?? settings.workloadEntrypoint;
      for (const entrypoint of [catalogEntrypoint, workloadEntrypoint]) {
        if (!ENTRYPOINT_PATTERN.test(entrypoint))
          throw new InputError(
            `policy:check: "${entrypoint}" is not an OPA Data API path`,
          );
      }

      const documents = await readPolicyCheckDocuments(
        ctx.workspacePath,
        patterns,
      );
      for (const note of documents.skipped) ctx.logger.info(`Skipped ${note}`);
      if (documents.entities.length === 0 && documents.manifests.length === 0) {
        throw new InputError(
          `policy:check found nothing to check: no catalog entity or Kubernetes object in ${
            documents.files.length
              ? documents.files.join(', ')
              : 'the workspace'
          } (files: ${patterns.join(', ')})`,
        );
      }
      ctx.logger.info(
        `Checking ${documents.entities.length} catalog entities and ${documents.manifests.length} Kubernetes objects ` +
          `from ${documents.files.join(
            ', ',
          )} against OPA (${catalogEntrypoint}, ${workloadEntrypoint})`,
      );

      const findings: PolicyCheckFinding[] = [];
      const decisionIds: string[] = [];
      const unavailable: string[] = [];
      const evaluate = async (run: () => Promise<void>) => {
        try {
          await run();
        } catch (error) {
          if (!(error instanceof NoPolicyDecisionError)) throw error;
          unavailable.push(error.message);
        }
      };

      if (!opa) {
        unavailable.push(NO_POLICY_ENGINE_MESSAGE);
      } else {
        for (const { file, value: entity } of documents.entities) {
          await evaluate(async () => {
            const input = await catalogPolicyInput(
              entity,
              options.catalog,
              () => ctx.getInitiatorCredentials(),
            );
            const result = await evaluateViolations({
              opa,
              entrypoint: catalogEntrypoint,
              input,
              source: 'catalog',
              signal: ctx.signal,
            });
            if (result.decisionId) decisionIds.push(result.decisionId);
            findings.push(
              ...result.violations.map(v => ({
                ...v,
                file,
                subject: entitySubject(entity),
              })),
            );
          });
        }
        if (documents.manifests.length) {
          await evaluate(async () => {
            const entity = primaryEntity(documents.entities.map(e => e.value));
            const result = await evaluateViolations({
              opa,
              entrypoint: workloadEntrypoint,
              input: {
                entity,
                manifests: documents.manifests.map(m => m.value),
                ...(ctx.input.environment
                  ? { environment: ctx.input.environment }
                  : {}),
              },
              source: 'workload',
              signal: ctx.signal,
            });
            if (result.decisionId) decisionIds.push(result.decisionId);
            for (const v of result.violations) {
              findings.push({
                ...v,
                file: manifestOf(v, documents.manifests)?.file,
                subject: manifestSubject(v),
              });
            }
          });
        }
      }

      if (unavailable.length && settings.onEngineUnavailable === 'fail') {
        throw new ServiceUnavailableError(
          `policy:check could not get a policy decision, so the generated files were not checked:\n` +
            `${unavailable.map(u => `- ${u}`).join('\n')}\n` +
            'A check without an answer is not a passed check. Fix the policy engine and retry, ' +
            'or set policy.scaffolder.onEngineUnavailable: warn to let templates continue unchecked.',
        );
      }
      // Worded so that nobody reads a warn-mode run as a pass.
      for (const reason of unavailable) {
        ctx.logger.warn(
          `Policy check NOT done: the generated files were NOT checked against Paved policies (no policy decision). ` +
            `The template continues unchecked because policy.scaffolder.onEngineUnavailable is warn. Reason: ${reason}`,
        );
      }

      const blocking = findings.filter(f => failsStep(f.level, failOn));
      for (const finding of findings.filter(f => !failsStep(f.level, failOn))) {
        if (finding.level === 'info') ctx.logger.info(describeFinding(finding));
        else ctx.logger.warn(describeFinding(finding));
      }
      const counts = countViolations(findings);
      ctx.output(
        'findings',
        findings.map(f => ({
          source: f.source,
          policy: f.policy,
          id: f.id,
          level: f.level,
          message: f.message,
          remediation: f.remediation,
          docsUrl: f.docsUrl,
          file: f.file,
          subject: f.subject,
          decisionId: f.decisionId,
        })),
      );
      ctx.output('decisionIds', decisionIds);
      ctx.output('counts', counts);
      ctx.output('engineAvailable', unavailable.length === 0);
      // A scaffolder step has no warning state: the task output says it.
      ctx.output(
        'summary',
        unavailable.length
          ? `NOT policy-checked: the generated files were not checked against Paved policies (no policy decision: ${unavailable.join(
              '; ',
            )})`
          : `Policy-checked: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} info`,
      );

      if (blocking.length) {
        throw new InputError(
          `policy:check found ${blocking.length} violation${
            blocking.length === 1 ? '' : 's'
          } at level ${failOn} or above ` +
            `(${counts.error} errors, ${counts.warning} warnings, ${
              counts.info
            } info in total):\n${formatFindings(blocking)}`,
        );
      }
      if (unavailable.length === 0) {
        // OPA returns decision ids only when its decision log is on.
        const decided = decisionIds.length
          ? `decisions ${decisionIds.join(', ')}`
          : 'OPA logs no decisions, so it gave no decision ids';
        ctx.logger.info(
          `Policy check passed: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} info (${decided})`,
        );
      }
    },
  });
}

/** The entity the manifests belong to: the first Component, else the first entity, else null. */
function primaryEntity(entities: Entity[]): Entity | null {
  return entities.find(e => e.kind === 'Component') ?? entities[0] ?? null;
}
