/**
 * Test utilities. `LocalOpaServer` runs the REAL `opa` binary on loopback
 * with a bundle of Rego folders (prebuilt, or polled from a
 * `PolicyBundleServer`) and exposes OPA's decision log: use it for every
 * finding a test asserts. `SimulatedOpaServer` speaks OPA's REST API with
 * test-defined answers, for faults a real OPA cannot show on demand, also
 * in front of a real OPA (`upstream`).
 *
 * @packageDocumentation
 */
export * from './SimulatedOpaServer';
export * from './LocalOpaServer';
export * from './PolicyBundleServer';
export { exampleRegoPolicy } from './exampleRegoPolicy';
