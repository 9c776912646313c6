/**
 * Extension points and the shared cluster-cache service of Paved's
 * Kubernetes status backend, for other backend plugins and modules.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './resources';
export * from './services';
export * from './extensions';
