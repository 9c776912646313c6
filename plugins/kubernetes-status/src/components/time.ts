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
