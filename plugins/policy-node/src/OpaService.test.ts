import { ConfigReader } from '@backstage/config';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { createOpaService, opaServiceRef } from './OpaService';
import { readOpaClientOptions } from './config';

describe('OpaService', () => {
  it('is not configured without policy.opa.baseUrl, or with an empty one (an unset environment variable)', () => {
    expect(
      createOpaService(readOpaClientOptions(new ConfigReader({}))).configured,
    ).toBe(false);
    const empty = createOpaService(
      readOpaClientOptions(
        new ConfigReader({ policy: { opa: { baseUrl: '' } } }),
      ),
    );
    expect(empty.configured).toBe(false);
    expect(empty.client()).toBeUndefined();
  });

  it('reads the connection once and gives clients with per-caller overrides; an empty token is none', () => {
    const options = readOpaClientOptions(
      new ConfigReader({
        policy: {
          opa: {
            baseUrl: 'http://opa:8181/',
            token: '',
            timeoutMs: 900,
            retries: 3,
          },
        },
      }),
    );
    expect(options).toEqual({
      baseUrl: 'http://opa:8181/',
      token: undefined,
      timeoutMs: 900,
      retries: 3,
    });
    const service = createOpaService(options);
    expect(service.configured).toBe(true);
    expect(service.client()?.baseUrl).toBe('http://opa:8181');
    expect(service.client({ retries: 0 })).toMatchObject({
      baseUrl: 'http://opa:8181',
    });
  });

  it('has a default factory: a backend plugin gets it from the root config without registering it', async () => {
    let seen: boolean | undefined;
    const probe = createBackendPlugin({
      pluginId: 'probe',
      register(env) {
        env.registerInit({
          deps: { opa: opaServiceRef },
          async init({ opa }) {
            seen =
              opa.configured &&
              opa.options?.baseUrl === 'http://127.0.0.1:8181';
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        probe,
        mockServices.rootConfig.factory({
          data: { policy: { opa: { baseUrl: 'http://127.0.0.1:8181' } } },
        }),
      ],
    });
    await backend.stop();
    expect(seen).toBe(true);
  });
});
