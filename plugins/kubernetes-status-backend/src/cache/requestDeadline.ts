import {
  ConfigurationOptions,
  Observable,
  ObservableMiddleware,
} from '@kubernetes/client-node';
import { ClusterTimeoutError } from './errors';

/**
 * Runs one client-node call with a time budget that aborts the request
 * itself: the budget's signal is set on the request by a call-time
 * middleware (client-node has no timeout option, but hands a request's
 * signal to fetch), so a late answer neither keeps its socket nor arrives
 * later. Past the budget the call rejects with {@link ClusterTimeoutError}.
 *
 * `call` passes the options as the API method's second argument, e.g.
 * `options => api.getCode({}, options)`.
 */
export async function withRequestDeadline<T>(
  ms: number,
  what: string,
  call: (options: ConfigurationOptions<ObservableMiddleware>) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const abortOnDeadline: ObservableMiddleware = {
    pre: request => {
      request.setSignal(controller.signal);
      return new Observable(Promise.resolve(request));
    },
    post: response => new Observable(Promise.resolve(response)),
  };
  try {
    return await call({
      middleware: [abortOnDeadline],
      // After the kubeconfig's own middleware, which stays.
      middlewareMergeStrategy: 'append',
    });
  } catch (error) {
    if (controller.signal.aborted)
      throw new ClusterTimeoutError(`${what} timed out after ${ms} ms`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
