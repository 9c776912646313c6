/**
 * A simulated Kubernetes API server for tests, benchmarks and the demo
 * portal. Everything it serves is SIMULATED.
 *
 * @packageDocumentation
 */

export {
  KubernetesSimulator,
  type AppendLogOptions,
  type KubernetesSimulatorOptions,
  type ListOptions,
  type LoadYamlOptions,
  type StartOptions,
} from './KubernetesSimulator';
export {
  DEFAULT_DEMO_CLUSTERS,
  DEMO_CRASH_REASON_ANNOTATION,
  DEMO_FIXTURES,
  DEMO_ROLLOUT_IMAGES_ANNOTATION,
  DEMO_SCENARIO_ANNOTATION,
  demoFixturePath,
  ensureDemoCertificateAuthority,
  loadDemoFixture,
  resolveTimePlaceholders,
  startDemoClusters,
  type DemoCluster,
  type DemoClusterConfig,
  type DemoClusters,
  type DemoClustersOptions,
} from './demo';
export {
  KUBE_APISERVER_HOSTS,
  createCertificateAuthority,
  createClientCertificate,
  createServiceAccountKeys,
  createServingCertificate,
  loadCertificateAuthority,
  pemToData,
  type CertificateAuthority,
  type PemPair,
  type ServingCertificateOptions,
} from './certificates';
export { kubeconfigYaml, type KubeconfigCluster } from './kubeconfig';
export { DEFAULT_USER, type ForbidRule } from './auth';
export { RequestCounters, type CounterSnapshot } from './counters';
export { Faults, type FailureSpec, type RequestVerb } from './faults';
export {
  APP_NAME_LABEL,
  KUBERNETES_ID_LABEL,
  SIMULATED_LABEL,
  deploymentObject,
  generateFleet,
  hpaFor,
  materializeWorkloads,
  namespaceObject,
  nodeObjects,
  podFor,
  podStatus,
  replicaSetFor,
  serviceFor,
  workloadObjects,
  type ContainerState,
  type FleetOptions,
  type NodeOptions,
  type WorkloadOptions,
} from './fleet';
export {
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  podTemplateHash,
  recordEvent,
  syncDeploymentStatus,
  type ClusterAccess,
  type EventSpec,
} from './controllers';
export { LogStore, type LogLine, type LogReadOptions } from './logs';
export {
  CONSTRAINTS_GROUP,
  CONSTRAINTS_VERSION,
  RESOURCE_VERBS,
  STATIC_RESOURCE_TYPES,
  UnknownKindError,
  type ResourceType,
} from './resources';
export {
  Scenarios,
  type CrashLoopHandle,
  type CrashLoopOptions,
  type PeriodicRolloutOptions,
  type RolloutOptions,
  type RolloutResult,
  type ScenarioCluster,
  type ScenarioHandle,
  type StuckRolloutOptions,
} from './scenarios';
export {
  SelectorError,
  matchesLabelSelector,
  parseFieldSelector,
  parseLabelSelector,
  type Matcher,
} from './selectors';
export { SIMULATED_KUBERNETES_VERSION } from './discovery';
export type { KubeObject, ObjectMeta, OwnerReference } from './store';
