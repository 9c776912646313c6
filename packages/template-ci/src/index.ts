/**
 * Template CI for Paved's golden paths (tests only, nothing to import): see
 * src/templates.test.ts and the README. `yarn workspace @paved/template-ci
 * test` runs it.
 *
 * @packageDocumentation
 */
export {};
