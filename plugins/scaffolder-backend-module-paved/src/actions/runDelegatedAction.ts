import { InputError } from '@backstage/errors';
import type {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import type { JsonObject, JsonValue } from '@backstage/types';
import { validate } from 'jsonschema';

/**
 * Runs another scaffolder action inside this one the way the task runner
 * would: its input is validated against the action's own JSON schema first
 * (the same check and message as the scaffolder's workflow runner), and it
 * gets this step's context (checkpoints, workspace, logger, user), so its
 * side effects are replay-safe under its own checkpoint keys. Its outputs
 * are returned instead of being written as this step's.
 */
export async function runDelegatedAction(
  action: Pick<TemplateAction<any, any, any>, 'id' | 'handler' | 'schema'>,
  ctx: ActionContext<any, any, any>,
  input: JsonObject,
): Promise<Record<string, JsonValue>> {
  const defined = Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== undefined),
  ) as JsonObject;
  if (action.schema?.input) {
    const result = validate(
      defined,
      action.schema.input as Parameters<typeof validate>[1],
    );
    if (!result.valid) {
      throw new InputError(
        `Invalid input passed to action ${action.id}, ${result.errors.join(
          ', ',
        )}`,
      );
    }
  }
  const outputs: Record<string, JsonValue> = {};
  await action.handler({
    ...ctx,
    input: defined,
    output: (name: string, value: JsonValue) => {
      outputs[name] = value;
    },
  });
  return outputs;
}
