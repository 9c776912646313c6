import Chip from '@material-ui/core/Chip';
import type { TemplateDrift } from '@paved/plugin-template-drift-common';

const LABELS: Record<TemplateDrift['gap'], string> = {
  none: 'Up to date',
  patch: 'Patch behind',
  minor: 'Minor version behind',
  major: 'Major version behind',
  ahead: 'Ahead of template',
  unknown: 'Unknown',
};

/** The version gap as a chip: red for major, amber for minor/patch. @public */
export const DriftChip = ({ drift }: { drift: TemplateDrift }) => {
  let color: 'default' | 'primary' | 'secondary' = 'default';
  if (drift.gap === 'major') color = 'secondary';
  else if (drift.gap === 'minor' || drift.gap === 'patch') color = 'primary';
  return <Chip size="small" color={color} label={LABELS[drift.gap]} />;
};

/** "1.0.0 → 1.2.0", or the one version known. */
export function versionGap(drift: TemplateDrift): string {
  if (drift.gap === 'none') return drift.currentVersion ?? '';
  return `${drift.generatedVersion ?? '?'} → ${drift.currentVersion ?? '?'}`;
}
