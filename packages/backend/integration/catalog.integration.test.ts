// Boots the real backend on SQLite and on PostgreSQL and checks, through its
// HTTP API, that the platform-stack catalog is fully ingested without errors.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  startBackend,
  errorLines,
  repoRoot,
  type BackendProcess,
} from './backendProcess.ts';
import { declaredEntities, repoEntityFiles } from './expectedEntities.ts';

const expected = declaredEntities(repoEntityFiles(repoRoot));
const refOf = (e: { kind: string; namespace: string; name: string }) =>
  `${e.kind}:${e.namespace}/${e.name}`.toLowerCase();

async function api(
  backend: BackendProcess,
  path: string,
  init: RequestInit = {},
) {
  return fetch(`${backend.baseUrl}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${backend.token}`,
      ...(init.headers ?? {}),
    },
    signal: AbortSignal.timeout(15_000),
  });
}

async function catalogRefs(backend: BackendProcess): Promise<Set<string>> {
  const res = await api(
    backend,
    '/api/catalog/entities?fields=kind,metadata.namespace,metadata.name',
  );
  assert.equal(res.status, 200);
  const entities = (await res.json()) as Array<{
    kind: string;
    metadata: { namespace?: string; name: string };
  }>;
  return new Set(
    entities.map(e =>
      refOf({
        kind: e.kind,
        namespace: e.metadata.namespace ?? 'default',
        name: e.metadata.name,
      }),
    ),
  );
}

async function waitForCatalog(backend: BackendProcess, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  let missing: string[] = [];
  while (Date.now() < deadline) {
    const present = await catalogRefs(backend);
    missing = expected.map(refOf).filter(r => !present.has(r));
    if (missing.length === 0) return;
    await new Promise(r => setTimeout(r, 1000));
  }
  assert.fail(`entities never appeared in the catalog: ${missing.join(', ')}`);
}

function catalogSuite(name: string, setup: () => Promise<BackendProcess>) {
  describe(`backend on ${name}`, () => {
    let backend: BackendProcess;
    before(async () => {
      backend = await setup();
      await waitForCatalog(backend);
    });
    after(async () => backend?.stop());

    it('ingests every entity declared in the repository', async () => {
      const present = await catalogRefs(backend);
      for (const entity of expected) {
        assert.ok(present.has(refOf(entity)), `${refOf(entity)} is missing`);
      }
      assert.ok(
        expected.length >= 40,
        `expected the full platform stack, found ${expected.length}`,
      );
    });

    it('reports no processing errors', async () => {
      const res = await api(
        backend,
        '/api/catalog/entities?fields=kind,metadata.name,status',
      );
      const entities = (await res.json()) as Array<{
        kind: string;
        metadata: { name: string };
        status?: { items?: Array<{ level: string; message: string }> };
      }>;
      const problems = entities.flatMap(e =>
        (e.status?.items ?? [])
          .filter(i => i.level === 'error')
          .map(i => `${e.kind}/${e.metadata.name}: ${i.message}`),
      );
      assert.deepEqual(problems, []);

      const failed = await api(
        backend,
        '/api/catalog/entities/unprocessed/failed',
      );
      assert.equal(failed.status, 200);
      const body = (await failed.json()) as {
        entities: Array<{ entity_ref: string }>;
      };
      assert.deepEqual(
        body.entities.map(e => e.entity_ref),
        [],
      );
    });

    it('refuses unauthenticated requests', async () => {
      const res = await fetch(`${backend.baseUrl}/api/catalog/entities`, {
        signal: AbortSignal.timeout(10_000),
      });
      assert.equal(res.status, 401);
    });

    it('refuses a wrong token', async () => {
      const res = await fetch(`${backend.baseUrl}/api/catalog/entities`, {
        headers: { authorization: 'Bearer not-a-token' },
        signal: AbortSignal.timeout(10_000),
      });
      assert.equal(res.status, 401);
    });

    it('logged no error line during start-up and ingestion', () => {
      assert.deepEqual(errorLines(backend.logLines), []);
    });
  });
}

catalogSuite('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'paved-sqlite-'));
  const backend = await startBackend({
    port: 7101,
    config: {
      database: { client: 'better-sqlite3', connection: { directory: dir } },
    },
  });
  return {
    ...backend,
    stop: async () => {
      await backend.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const pgConnection = {
  host: process.env.POSTGRES_HOST ?? '127.0.0.1',
  port: Number(process.env.POSTGRES_PORT ?? 5432),
  user: process.env.POSTGRES_USER ?? 'postgres',
  password: process.env.POSTGRES_PASSWORD ?? '',
};

async function dropDatabases(prefix: string) {
  const client = new pg.Client({ ...pgConnection, database: 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

catalogSuite('PostgreSQL', async () => {
  const prefix = `paved_it_${process.pid}_`;
  const backend = await startBackend({
    port: 7102,
    config: { database: { client: 'pg', prefix, connection: pgConnection } },
  });
  return {
    ...backend,
    stop: async () => {
      await backend.stop();
      await dropDatabases(prefix);
    },
  };
});
