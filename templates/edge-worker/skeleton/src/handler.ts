import type { EdgeCache, Env, ExecutionContext } from './env.ts';

const SLUG = /^\/links\/([a-z0-9-]{1,64})$/;

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * GET /links/:slug answers from the edge cache, else from the database
 * (and fills the cache in the background); PUT /links/:slug stores a link.
 */
export async function handle(request: Request, env: Env, ctx: ExecutionContext, cache: EdgeCache): Promise<Response> {
  const url = new URL(request.url);
  const match = SLUG.exec(url.pathname);
  if (!match) return json({ error: 'not found' }, 404);
  const slug = match[1];

  if (request.method === 'GET') {
    const cached = await cache.match(request);
    if (cached) return cached;
    const row = await env.DB.prepare('SELECT target FROM links WHERE slug = ?1').bind(slug).first<{ target: string }>();
    if (!row) return json({ error: 'not found' }, 404);
    const response = json({ slug, target: row.target }, 200, {
      'cache-control': `public, max-age=${Number(env.CACHE_TTL_SECONDS) || 0}`,
    });
    ctx.waitUntil(cache.put(request, response.clone()));
    return response;
  }

  if (request.method === 'PUT') {
    const body = (await request.json().catch(() => null)) as { target?: unknown } | null;
    if (typeof body?.target !== 'string' || !/^https:\/\//.test(body.target)) {
      return json({ error: 'target must be an https URL' }, 400);
    }
    await env.DB.prepare('INSERT OR REPLACE INTO links (slug, target) VALUES (?1, ?2)').bind(slug, body.target).run();
    return json({ slug, target: body.target }, 201);
  }

  return json({ error: 'method not allowed' }, 405, { allow: 'GET, PUT' });
}
