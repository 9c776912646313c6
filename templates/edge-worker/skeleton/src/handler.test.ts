import assert from 'node:assert/strict';
import { test } from 'node:test';
import { handle } from './handler.ts';
import type { Database, EdgeCache, Env } from './env.ts';

function fakeEnv() {
  const rows = new Map<string, string>();
  let queries = 0;
  const DB: Database = {
    prepare: (query: string) => ({
      bind: (...values: unknown[]) => ({
        first: async <T>() => {
          queries++;
          const target = rows.get(String(values[0]));
          return (target ? { target } : null) as T | null;
        },
        run: async () => {
          if (query.startsWith('INSERT')) rows.set(String(values[0]), String(values[1]));
          return {};
        },
      }),
    }),
  };
  const store = new Map<string, Response>();
  const cache: EdgeCache = {
    match: async request => store.get(request.url)?.clone(),
    put: async (request, response) => void store.set(request.url, response),
  };
  const pending: Promise<unknown>[] = [];
  const env: Env = { DB, CACHE_TTL_SECONDS: '${{ values.cacheTtlSeconds }}' };
  return { env, cache, ctx: { waitUntil: (p: Promise<unknown>) => void pending.push(p) }, pending, queries: () => queries };
}

test('stores a link, then serves it from the database and afterwards from the edge cache', async () => {
  const { env, cache, ctx, pending, queries } = fakeEnv();
  const put = await handle(
    new Request('https://edge.test/links/docs', { method: 'PUT', body: JSON.stringify({ target: 'https://paved.dev/docs' }) }),
    env, ctx, cache,
  );
  assert.equal(put.status, 201);

  const first = await handle(new Request('https://edge.test/links/docs'), env, ctx, cache);
  assert.deepEqual(await first.json(), { slug: 'docs', target: 'https://paved.dev/docs' });
  await Promise.all(pending);
  const second = await handle(new Request('https://edge.test/links/docs'), env, ctx, cache);
  assert.equal(second.status, 200);
  assert.equal(queries(), 1);
});

test('rejects a non-https target and unknown paths', async () => {
  const { env, cache, ctx } = fakeEnv();
  const bad = await handle(
    new Request('https://edge.test/links/x', { method: 'PUT', body: JSON.stringify({ target: 'javascript:alert(1)' }) }),
    env, ctx, cache,
  );
  assert.equal(bad.status, 400);
  assert.equal((await handle(new Request('https://edge.test/other'), env, ctx, cache)).status, 404);
});
