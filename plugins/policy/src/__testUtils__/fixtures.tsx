import { ResponseError } from '@backstage/errors';
import { ReactNode } from 'react';
import { TestApiProvider, mockApis } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { identityApiRef } from '@backstage/frontend-plugin-api';
import {
  ComplianceListItem,
  EntityFindingsResponse,
  NO_POLICY_ENGINE_MESSAGE,
  PolicyViolation,
} from '@paved/plugin-policy-common';
import { PolicyApi, policyApiRef } from '../api/PolicyApi';
import { complianceRouteRef } from '../routes';

export const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-service', namespace: 'default' },
  spec: { type: 'service', owner: 'team-commerce', lifecycle: 'production' },
};

export const minutesAgo = (m: number) =>
  new Date(Date.now() - m * 60_000).toISOString();

export const finding = (
  over: Partial<PolicyViolation> = {},
): PolicyViolation => ({
  source: 'catalog',
  policy: 'paved.catalog/violations',
  id: 'owner-resolvable',
  level: 'error',
  message: 'Owner group:default/team-ghost does not exist in the catalog',
  evaluatedAt: minutesAgo(5),
  policyRevision: 'rev-2026-11-25',
  ...over,
});

export const findings = (
  over: Partial<EntityFindingsResponse> = {},
): EntityFindingsResponse => ({
  entityRef: 'component:default/orders-service',
  engine: { configured: true },
  compliance: { status: 'passing', counts: { error: 0, warning: 0, info: 0 } },
  findings: [],
  evaluatedAt: minutesAgo(5),
  policyRevision: 'rev-2026-11-25',
  ...over,
});

export const notConfigured = (): EntityFindingsResponse => ({
  entityRef: 'component:default/orders-service',
  engine: { configured: false, message: NO_POLICY_ENGINE_MESSAGE },
  compliance: {
    status: 'unknown',
    counts: { error: 0, warning: 0, info: 0 },
    reason: 'not-configured',
    reasonMessage: NO_POLICY_ENGINE_MESSAGE,
  },
  findings: [],
});

export const listItem = (
  name: string,
  over: Partial<ComplianceListItem> = {},
): ComplianceListItem => ({
  entityRef: `component:default/${name}`,
  kind: 'Component',
  namespace: 'default',
  name,
  owner: 'group:default/team-a',
  system: 'system:default/shop',
  compliance: { status: 'failing', counts: { error: 2, warning: 1, info: 0 } },
  evaluatedAt: minutesAgo(10),
  policyRevision: 'rev-2026-11-25',
  ...over,
});

const pending = () => new Promise<never>(() => {});

/** A PolicyApi whose methods are jest mocks; the ones not given never resolve. */
export function mockPolicyApi(
  over: Partial<PolicyApi> = {},
): jest.Mocked<PolicyApi> {
  const impl: PolicyApi = {
    getEntityFindings: pending,
    evaluateEntity: pending,
    getCompliance: pending,
    getTrend: pending,
    getEngineHealth: pending,
    getPolicies: pending,
    triggerRun: pending,
    ...over,
  };
  return Object.fromEntries(
    Object.entries(impl).map(([key, fn]) => [key, jest.fn(fn)]),
  ) as unknown as jest.Mocked<PolicyApi>;
}

export const mountedRoutes = {
  '/compliance': complianceRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

/** The API, permission (allow by default), identity, and the entity. */
export const Providers = ({
  api,
  allowEvaluate = true,
  ownershipEntityRefs = ['user:default/jane', 'group:default/team-a'],
  identityError,
  children,
}: {
  api: PolicyApi;
  allowEvaluate?: boolean;
  ownershipEntityRefs?: string[];
  /** The identity API fails to say who the user is. */
  identityError?: Error;
  children: ReactNode;
}) => (
  <TestApiProvider
    apis={[
      [policyApiRef, api],
      [
        permissionApiRef,
        mockApis.permission({
          authorize: allowEvaluate
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        }),
      ],
      [
        identityApiRef,
        identityError
          ? mockApis.identity.mock({
              getBackstageIdentity: async () => {
                throw identityError;
              },
            })
          : mockApis.identity({
              userEntityRef: 'user:default/jane',
              ownershipEntityRefs,
            }),
      ],
    ]}
  >
    <EntityProvider entity={entity}>{children}</EntityProvider>
  </TestApiProvider>
);

/** A ResponseError as the backend's error handler answers it (`{error, request, response}`). */
export async function backendError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'GET', url: '/api/policy' },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}
