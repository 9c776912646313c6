/**
 * The same plugin as the package's default export, kept at `/alpha` so
 * apps importing it from here keep working.
 *
 * @packageDocumentation
 */
export { templateDriftPlugin as default } from './plugin';
