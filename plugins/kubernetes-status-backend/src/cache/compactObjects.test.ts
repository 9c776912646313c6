import { StringPool, compactObject } from './compactObjects';

const POD = { key: 'pods', apiVersion: 'v1', kind: 'Pod' } as const;
const DEPLOYMENT = {
  key: 'deployments',
  apiVersion: 'apps/v1',
  kind: 'Deployment',
} as const;

const container = {
  name: 'web',
  image: 'registry.example/web:1.2.3',
  ports: [{ containerPort: 8080 }],
  resources: { requests: { cpu: '100m' } },
  securityContext: { runAsNonRoot: true },
};

function pod(ownerReferences?: unknown[]) {
  return {
    metadata: {
      name: 'web-abc-1',
      generateName: 'web-abc-',
      namespace: 'shop',
      uid: 'u-1',
      resourceVersion: '42',
      creationTimestamp: '2026-01-02T03:04:05Z',
      labels: { app: 'web' },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"big":"json"}',
        team: 'a',
      },
      managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} } }],
      finalizers: ['x'],
      ...(ownerReferences ? { ownerReferences } : {}),
    },
    spec: {
      containers: [container],
      nodeName: 'node-1',
      volumes: [{ name: 'v' }],
      tolerations: [{ key: 'k' }],
    },
    status: {
      phase: 'Running',
      podIP: '10.0.0.1',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'web',
          image: 'registry.example/web:1.2.3',
          imageID: 'sha256:abc',
          containerID: 'containerd://abc',
          ready: true,
          restartCount: 2,
          state: { running: { startedAt: '2026-01-02T03:04:06Z' } },
          lastState: {
            terminated: {
              reason: 'OOMKilled',
              exitCode: 137,
              finishedAt: '2026-01-02T03:04:00Z',
              containerID: 'c',
            },
          },
        },
      ],
    },
  };
}

describe('compactObject', () => {
  it('keeps what the views read of a controller-owned pod and drops the rest', () => {
    const owner = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'web-abc',
      uid: 'rs-1',
      controller: true,
      blockOwnerDeletion: true,
    };
    expect(compactObject(POD, pod([owner]), new StringPool())).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-abc-1',
        namespace: 'shop',
        uid: 'u-1',
        resourceVersion: '42',
        creationTimestamp: '2026-01-02T03:04:05Z',
        labels: { app: 'web' },
        annotations: { team: 'a' },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: 'web-abc',
            uid: 'rs-1',
            controller: true,
          },
        ],
      },
      spec: {
        containers: [{ name: 'web', image: 'registry.example/web:1.2.3' }],
        nodeName: 'node-1',
      },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'web',
            image: 'registry.example/web:1.2.3',
            ready: true,
            restartCount: 2,
            state: { running: { startedAt: '2026-01-02T03:04:06Z' } },
            lastState: {
              terminated: {
                reason: 'OOMKilled',
                exitCode: 137,
                finishedAt: '2026-01-02T03:04:00Z',
              },
            },
          },
        ],
      },
    });
  });

  it('keeps the whole spec of objects without a controller (the workload policy reads them)', () => {
    const bare = compactObject(POD, pod(), new StringPool());
    expect(bare.spec).toEqual(pod().spec);
    const deployment = compactObject(
      DEPLOYMENT,
      {
        metadata: {
          name: 'web',
          namespace: 'shop',
          generation: 3,
          managedFields: [{}],
        },
        spec: { replicas: 2, template: { spec: { containers: [container] } } },
        status: {
          observedGeneration: 3,
          replicas: 2,
          readyReplicas: 2,
          conditions: [
            { type: 'Available', status: 'True', lastUpdateTime: 'x' },
          ],
        },
      },
      new StringPool(),
    );
    expect(deployment).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', generation: 3 },
      spec: { replicas: 2, template: { spec: { containers: [container] } } },
      status: {
        observedGeneration: 3,
        replicas: 2,
        readyReplicas: 2,
        conditions: [{ type: 'Available', status: 'True' }],
      },
    });
  });

  it('stores timestamps as the API writes them, whoever parsed them', () => {
    const fromTypedClient = compactObject(
      DEPLOYMENT,
      {
        metadata: {
          name: 'web',
          creationTimestamp: new Date('2026-01-02T03:04:05Z'),
        },
      },
      new StringPool(),
    );
    expect(fromTypedClient.metadata?.creationTimestamp).toBe(
      '2026-01-02T03:04:05Z',
    );
  });

  it('keeps of a Node only its identity, labels and conditions, and of an event what the views show', () => {
    const node = compactObject(
      { key: 'nodes', apiVersion: 'v1', kind: 'Node' },
      {
        metadata: { name: 'n1', labels: { zone: 'a' } },
        spec: { podCIDR: '10.0.0.0/24', unschedulable: true },
        status: {
          images: [{ names: ['a'], sizeBytes: 1 }],
          conditions: [
            { type: 'Ready', status: 'True', lastHeartbeatTime: 't' },
          ],
        },
      },
      new StringPool(),
    );
    expect(node).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: { zone: 'a' } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    const event = compactObject(
      { key: 'events', apiVersion: 'v1', kind: 'Event' },
      {
        metadata: { name: 'e1', namespace: 'shop' },
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container',
        count: 3,
        eventTime: null,
        lastTimestamp: '2026-01-02T03:04:05Z',
        involvedObject: {
          kind: 'Pod',
          name: 'web-abc-1',
          namespace: 'shop',
          fieldPath: 'spec.containers{web}',
        },
        source: { component: 'kubelet', host: 'node-1' },
      },
      new StringPool(),
    );
    expect(event).toEqual({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1', namespace: 'shop' },
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      count: 3,
      lastTimestamp: '2026-01-02T03:04:05Z',
      involvedObject: { kind: 'Pod', name: 'web-abc-1', namespace: 'shop' },
    });
  });

  it('pools repeated strings, not unique ones, and stays bounded', () => {
    const pool = new StringPool(1000);
    for (let i = 0; i < 50; i++) {
      const p = pod([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-abc',
          uid: 'rs-1',
          controller: true,
        },
      ]);
      p.metadata.name = `web-abc-${i}`;
      p.metadata.uid = `u-${i}`;
      compactObject(POD, p, pool);
    }
    // Namespace, label and annotation keys and values, owner fields, image,
    // names of containers, node, phase, reasons, timestamps: not 50 of each.
    expect(pool.size).toBeLessThan(40);
    const small = new StringPool(3);
    ['a', 'b', 'c', 'd'].forEach(s => small.intern(s));
    expect(small.size).toBe(1);
  });
});
