import { DateTime } from 'luxon';

/** How long ago an ISO timestamp was, e.g. "5 minutes ago" (luxon, English). */
export function ago(iso?: string, now = Date.now()): string {
  if (!iso) return 'never';
  const time = DateTime.fromISO(iso);
  if (!time.isValid) return 'at an unknown time';
  const base = DateTime.fromMillis(now);
  // A timestamp a little ahead of this browser's clock is "just now", not "in 2 seconds".
  return (
    (time > base ? base : time).toRelative({ base, locale: 'en' }) ?? 'just now'
  );
}

/** A policy revision, long hashes shortened to 12 characters. */
export function shortRevision(revision?: string): string {
  if (!revision) return 'no revision reported';
  return /^[0-9a-f]{20,}$/i.test(revision) ? revision.slice(0, 12) : revision;
}

/** "1.2 s" / "340 ms" */
export function duration(ms?: number): string {
  if (ms === undefined) return '-';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
