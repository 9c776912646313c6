/**
 * Events-service topic on which the catalog module
 * `@paved/plugin-catalog-backend-module-policy-changes` announces that the
 * catalog processed a changed entity, for the policy backend to re-evaluate it.
 * @public
 */
export const POLICY_ENTITY_CHANGED_TOPIC = 'paved.policy.entity-changed';

/**
 * Payload of {@link POLICY_ENTITY_CHANGED_TOPIC}: only the ref, never entity data.
 * @public
 */
export interface PolicyEntityChangedEvent {
  /** Full entity ref, e.g. `component:default/payments`. */
  entityRef: string;
}

/**
 * The payload as a {@link PolicyEntityChangedEvent}, or undefined when it is not one.
 * @public
 */
export function parsePolicyEntityChangedEvent(
  payload: unknown,
): PolicyEntityChangedEvent | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const entityRef = (payload as { entityRef?: unknown }).entityRef;
  return typeof entityRef === 'string' &&
    entityRef.length > 0 &&
    entityRef.length <= 1024
    ? { entityRef }
    : undefined;
}
