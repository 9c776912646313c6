import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import semver from 'semver';
import {
  TEMPLATE_NAME_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from './annotations';

/**
 * How far an entity's template version is behind the template's current one.
 * `unknown` when either version is missing or not semver, or the template is
 * no longer in the catalog.
 *
 * @public
 */
export type DriftGap =
  | 'none'
  | 'patch'
  | 'minor'
  | 'major'
  | 'ahead'
  | 'unknown';

/** @public */
export interface TemplateDrift {
  entityRef: string;
  templateRef: string;
  templateName: string;
  /** Version the entity was generated from. */
  generatedVersion?: string;
  /** Version the template has now. */
  currentVersion?: string;
  gap: DriftGap;
  /** Why the gap is unknown, for display. */
  reason?: string;
}

/** The template an entity was created from, if it says so. @public */
export function templateNameOf(entity: Entity): string | undefined {
  return entity.metadata.annotations?.[TEMPLATE_NAME_ANNOTATION] || undefined;
}

/** Ref of the Template entity named by the annotation (templates live in the entity's namespace). @public */
export function templateRefOf(entity: Entity): string | undefined {
  const name = templateNameOf(entity);
  return name
    ? stringifyEntityRef({
        kind: 'Template',
        namespace: entity.metadata.namespace ?? 'default',
        name,
      })
    : undefined;
}

/**
 * Compares the version an entity was generated from with the template's
 * current version.
 *
 * @public
 */
export function computeTemplateDrift(
  entity: Entity,
  template: Entity | undefined,
): TemplateDrift {
  const templateName = templateNameOf(entity) ?? '';
  const base = {
    entityRef: stringifyEntityRef(entity),
    templateRef: templateRefOf(entity) ?? '',
    templateName,
    generatedVersion:
      entity.metadata.annotations?.[TEMPLATE_VERSION_ANNOTATION],
    currentVersion:
      template?.metadata.annotations?.[TEMPLATE_VERSION_ANNOTATION],
  };
  if (!templateName)
    return { ...base, gap: 'unknown', reason: 'The entity names no template.' };
  if (!template)
    return {
      ...base,
      gap: 'unknown',
      reason: `Template ${templateName} is not in the catalog.`,
    };
  const generated = semver.valid(base.generatedVersion ?? '');
  const current = semver.valid(base.currentVersion ?? '');
  if (!generated)
    return {
      ...base,
      gap: 'unknown',
      reason: 'The entity records no valid template version.',
    };
  if (!current)
    return {
      ...base,
      gap: 'unknown',
      reason: `Template ${templateName} declares no valid version.`,
    };
  if (semver.eq(generated, current)) return { ...base, gap: 'none' };
  if (semver.gt(generated, current)) return { ...base, gap: 'ahead' };
  const difference = semver.diff(generated, current);
  let gap: DriftGap = 'patch';
  if (difference === 'major' || difference === 'premajor') gap = 'major';
  else if (difference === 'minor' || difference === 'preminor') gap = 'minor';
  return { ...base, gap };
}

/** True when the entity is behind its template. @public */
export function isBehind(drift: TemplateDrift): boolean {
  return (
    drift.gap === 'patch' || drift.gap === 'minor' || drift.gap === 'major'
  );
}
