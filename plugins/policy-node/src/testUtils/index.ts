/**
 * Test utilities: a SIMULATED OPA server. It speaks OPA's REST API over real
 * HTTP for tests and benchmarks; its decisions are JavaScript functions,
 * never an OPA engine's.
 *
 * @packageDocumentation
 */
export * from './SimulatedOpaServer';
export * from './simulatedPavedRules';
export * from './LocalOpaServer';
export * from './PolicyBundleServer';
