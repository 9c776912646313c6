/**
 * Shared types, permissions, annotation names and problem rules of Paved's
 * Kubernetes status plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './types';
export * from './problems';
