import { toError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  POLICY_ENTITY_CHANGED_TOPIC,
  PolicyEntityChangedEvent,
} from '@paved/plugin-policy-node';
import stableStringify from 'fast-json-stable-stringify';

/** Options of {@link EntityChangeProcessor}. @public */
export interface EntityChangeProcessorOptions {
  events: EventsService;
  logger: LoggerService;
}

/** Key of the entity's content hash in its processor cache. */
const HASH_KEY = 'contentHash';

/**
 * Catalog processor that publishes `{entityRef}` on
 * {@link @paved/plugin-policy-node#POLICY_ENTITY_CHANGED_TOPIC} when an
 * entity's own content differs from the last time the catalog processed it.
 * The last hash is kept in the entity's `CatalogProcessorCache`, which the
 * catalog stores with the entity's processing state: it survives restarts
 * and is the same on every replica. The first sight of an entity (a new
 * entity, or one processed before this module was installed) publishes
 * nothing: the policy backend's scheduled run covers those. Reprocessing an
 * unchanged entity (every catalog pass) publishes nothing. The entity is
 * returned as is.
 * @public
 */
export class EntityChangeProcessor implements CatalogProcessor {
  private readonly options: EntityChangeProcessorOptions;

  constructor(options: EntityChangeProcessorOptions) {
    this.options = options;
  }

  getProcessorName(): string {
    return 'PavedPolicyEntityChangeProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    _emit: CatalogProcessorEmit,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    const entityRef = stringifyEntityRef(entity);
    const hash = createHash('sha256')
      .update(stableStringify(entity))
      .digest('base64');
    const previous = await cache.get<string>(HASH_KEY);
    await cache.set(HASH_KEY, hash);
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
}
