import { toError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  POLICY_ENTITY_CHANGED_TOPIC,
  PolicyEntityChangedEvent,
} from '@paved/plugin-policy-node';
import stableStringify from 'fast-json-stable-stringify';

/** Default of {@link EntityChangeProcessorOptions.maxTrackedEntities}. @public */
export const DEFAULT_MAX_TRACKED_ENTITIES = 100_000;

/** Options of {@link EntityChangeProcessor}. @public */
export interface EntityChangeProcessorOptions {
  events: EventsService;
  logger: LoggerService;
  /**
   * Content hashes kept in memory (least recently processed dropped first).
   * An entity seen again after being dropped counts as first seen: no event.
   */
  maxTrackedEntities?: number;
}

/**
 * Catalog processor that publishes `{entityRef}` on
 * {@link @paved/plugin-policy-node#POLICY_ENTITY_CHANGED_TOPIC} when an
 * entity's own content differs from the last time this process processed it.
 * The first sight of an entity (start-up, a new entity) publishes nothing:
 * the policy backend's scheduled run covers those, and a restart must not
 * flood OPA. Reprocessing an unchanged entity (every catalog pass) publishes
 * nothing. The entity is returned as is.
 * @public
 */
export class EntityChangeProcessor implements CatalogProcessor {
  private readonly options: EntityChangeProcessorOptions;
  private readonly maxTracked: number;
  // Insertion order is recency order: Map iterates oldest first.
  private readonly hashes = new Map<string, string>();

  constructor(options: EntityChangeProcessorOptions) {
    this.options = options;
    this.maxTracked = Math.max(
      1,
      options.maxTrackedEntities ?? DEFAULT_MAX_TRACKED_ENTITIES,
    );
  }

  getProcessorName(): string {
    return 'PavedPolicyEntityChangeProcessor';
  }

  async postProcessEntity(entity: Entity): Promise<Entity> {
    const entityRef = stringifyEntityRef(entity);
    const hash = createHash('sha256')
      .update(stableStringify(entity))
      .digest('base64');
    const previous = this.hashes.get(entityRef);
    this.hashes.delete(entityRef);
    this.hashes.set(entityRef, hash);
    if (this.hashes.size > this.maxTracked) {
      const oldest = this.hashes.keys().next().value;
      if (oldest !== undefined) this.hashes.delete(oldest);
    }
    if (previous !== undefined && previous !== hash) {
      const eventPayload: PolicyEntityChangedEvent = { entityRef };
      try {
        await this.options.events.publish({
          topic: POLICY_ENTITY_CHANGED_TOPIC,
          eventPayload,
        });
      } catch (error) {
        // Never fail catalog processing over it: the scheduled policy run catches up.
        this.options.logger.warn(
          `Could not announce changed entity ${entityRef} for policy evaluation`,
          toError(error),
        );
      }
    }
    return entity;
  }

  /** Number of entities whose hash is held (for tests and diagnostics). */
  get trackedEntities(): number {
    return this.hashes.size;
  }
}
