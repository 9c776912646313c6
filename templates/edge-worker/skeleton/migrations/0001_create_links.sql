CREATE TABLE IF NOT EXISTS links (
  slug TEXT PRIMARY KEY,
  target TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
