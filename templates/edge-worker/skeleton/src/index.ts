import { handle } from './handler.ts';
import type { EdgeCache, Env, ExecutionContext } from './env.ts';

declare const caches: { default: EdgeCache };

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    return handle(request, env, ctx, caches.default);
  },
};
