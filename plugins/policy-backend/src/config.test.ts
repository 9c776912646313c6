import { ConfigReader } from '@backstage/config';
import { DEFAULT_SCHEDULE, readPolicyBackendConfig } from './config';

describe('readPolicyBackendConfig', () => {
  it('has no engine and the documented defaults without policy config', () => {
    expect(readPolicyBackendConfig(new ConfigReader({}))).toEqual({
      opaSimulated: false,
      catalogEntrypoint: 'paved/catalog/violations',
      workloadEntrypoint: 'paved/workload/violations',
      catalogBatchEntrypoint: 'paved/catalog/batch',
      workloadBatchEntrypoint: 'paved/workload/batch',
      batchSize: 500,
      workloadEnabled: true,
      gatekeeperEnabled: true,
      gatekeeperAuditStaleAfterMinutes: 10,
      concurrency: 2,
      catalogChangesEnabled: true,
      catalogChangesDebounceMs: 5000,
      schedule: DEFAULT_SCHEDULE,
      history: { maxRuns: 2000, maxAgeDays: 90 },
    });
    expect(DEFAULT_SCHEDULE.frequency).toEqual({ minutes: 10 });
  });

  it('reads every key', () => {
    const settings = readPolicyBackendConfig(
      new ConfigReader({
        policy: {
          opa: {
            baseUrl: 'http://opa:8181',
            token: 's3cret',
            timeoutMs: 900,
            retries: 0,
            simulated: true,
          },
          catalog: {
            entrypoint: 'acme/catalog/deny',
            batchEntrypoint: 'acme/catalog/deny_batch',
            concurrency: 4,
          },
          workload: {
            entrypoint: 'acme/k8s/deny',
            batchEntrypoint: '',
            enabled: false,
          },
          batchSize: 100,
          gatekeeper: { enabled: false, auditStaleAfterMinutes: 30 },
          catalogChanges: { enabled: false, debounceMs: 1200 },
          schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
          history: { maxRuns: 50, maxAgeDays: 7 },
        },
      }),
    );
    expect(settings).toMatchObject({
      opaSimulated: true,
      catalogEntrypoint: 'acme/catalog/deny',
      workloadEntrypoint: 'acme/k8s/deny',
      catalogBatchEntrypoint: 'acme/catalog/deny_batch',
      // An empty string turns batching off.
      workloadBatchEntrypoint: undefined,
      batchSize: 100,
      workloadEnabled: false,
      gatekeeperEnabled: false,
      gatekeeperAuditStaleAfterMinutes: 30,
      concurrency: 4,
      catalogChangesEnabled: false,
      catalogChangesDebounceMs: 1200,
      schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
      history: { maxRuns: 50, maxAgeDays: 7 },
    });
    expect(() =>
      readPolicyBackendConfig(
        new ConfigReader({ policy: { history: { maxRuns: 0 } } }),
      ),
    ).toThrow(/policy.history.maxRuns/);
  });
});
