/** "3m ago" style age of an ISO timestamp. */
export function ago(iso?: string, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
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
