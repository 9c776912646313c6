/**
 * Structural checks of Paved's policy files (policies/, deploy/) that run
 * without an OPA or gator binary.
 * @packageDocumentation
 */
export { dataFilesBesideRego, regoProblems } from './regoChecks';
export type { SourceFiles } from './regoChecks';
export { gatekeeperProblems } from './gatekeeperChecks';
export { readSourceFiles } from './repoFiles';
