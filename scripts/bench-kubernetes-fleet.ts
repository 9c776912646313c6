/*
 * Worker thread of scripts/bench-kubernetes.ts: the SIMULATED fleet. The
 * simulators run in their own V8 isolate, so the heap the benchmark measures
 * is the backend's alone (the simulators cache the JSON of every object they
 * serve) and their event loop is not the backend's.
 *
 * Messages: { type: 'requests', id } -> { id, total } (requests answered so
 * far, all clusters); { type: 'stop', id } -> { id }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  KubernetesSimulator,
  generateFleet,
} from '../packages/kubernetes-simulator/src';

export interface FleetWorkerData {
  clusters: number;
  pods: number;
  apps: number;
  latencyMs: number;
  token: string;
}

/** One simulated cluster as the benchmark configures it. */
export interface FleetCluster {
  name: string;
  url: string;
  /** Set when the simulator serves HTTPS with a CA of its own. */
  caData?: string;
}

async function run() {
  const options = workerData as FleetWorkerData;
  const sims: KubernetesSimulator[] = [];
  for (let i = 0; i < options.clusters; i++) {
    const sim = new KubernetesSimulator({
      name: `bench-${i}`,
      token: options.token,
      latencyMs: options.latencyMs,
    });
    for (const o of generateFleet({
      apps: options.apps,
      podsPerApp: Math.ceil(options.pods / options.apps),
    }))
      sim.apply(o);
    await sim.start({ port: 0, host: '127.0.0.1' });
    sims.push(sim);
  }
  const clusters: FleetCluster[] = sims.map(sim => ({
    name: sim.name,
    url: sim.url,
    caData: sim.url.startsWith('https:')
      ? (sim as unknown as { caData: string }).caData
      : undefined,
  }));
  parentPort!.postMessage({ type: 'started', clusters });
  parentPort!.on('message', async (message: { type: string; id: number }) => {
    if (message.type === 'requests') {
      parentPort!.postMessage({
        id: message.id,
        total: sims.reduce((sum, s) => sum + s.counters.total, 0),
      });
    } else if (message.type === 'stop') {
      for (const sim of sims) await sim.stop();
      parentPort!.postMessage({ id: message.id });
    }
  });
}

run().catch(err => {
  parentPort!.postMessage({
    type: 'error',
    message: String(err?.stack ?? err),
  });
});
