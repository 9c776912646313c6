/**
 * The violation model, compliance states, API types, permissions and
 * annotation names shared by Paved's policy plugins.
 *
 * @packageDocumentation
 */
export * from './violations';
export * from './compliance';
export * from './api';
export * from './permissions';
export * from './annotations';
