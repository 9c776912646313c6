/**
 * A real Kubernetes control plane for tests: kube-apiserver and etcd on
 * loopback with their own CA, static tokens and RBAC on. No
 * controller-manager, scheduler or kubelet.
 *
 * @packageDocumentation
 */

export {
  startKubeControlPlane,
  type ClientCredentials,
  type KubeControlPlane,
  type KubeControlPlaneOptions,
  type StaticTokenUser,
} from './KubeControlPlane';
export { startTcpProxy, type TcpProxy } from './proxy';
export {
  findControlPlaneBinaries,
  type ControlPlaneBinaries,
} from './binaries';
