/**
 * One typed fetch helper shared by Paved's HTTP clients (frontend and
 * backend): base URL by discovery, request through the given fetch, query
 * parameters encoded, JSON body, non-2xx answers as `ResponseError`.
 *
 * @packageDocumentation
 */
export { createApiClient, encodePath, encodeQuery } from './ApiClient';
export type {
  ApiClient,
  ApiClientDiscovery,
  ApiClientFetch,
  ApiClientOptions,
  ApiRequestOptions,
  QueryValue,
} from './ApiClient';
