import { complianceFromCounts, unknownCompliance } from './compliance';
import { countViolations, parseViolationPayload } from './violations';

describe('parseViolationPayload', () => {
  it('reads a full violation and a Kind/namespace/name resource string', () => {
    expect(
      parseViolationPayload({
        id: 'no-latest',
        level: 'error',
        message: 'image uses :latest',
        remediation: 'pin a version',
        docsUrl: 'https://docs.example/no-latest',
        resource: 'Deployment/shop/orders',
        extra: 'ignored',
      }),
    ).toEqual({
      id: 'no-latest',
      level: 'error',
      message: 'image uses :latest',
      remediation: 'pin a version',
      docsUrl: 'https://docs.example/no-latest',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'orders' },
    });
  });

  it('keeps known resource fields of an object and drops empty optionals', () => {
    expect(
      parseViolationPayload({
        id: 'x',
        level: 'info',
        message: 'm',
        remediation: '',
        resource: { kind: 'Pod', name: 'p', foo: 1 },
      }),
    ).toEqual({
      id: 'x',
      level: 'info',
      message: 'm',
      remediation: undefined,
      docsUrl: undefined,
      resource: { kind: 'Pod', name: 'p' },
    });
  });

  it.each([
    [null, /not an object/],
    [['a'], /not an object/],
    [{ level: 'error', message: 'm' }, /without an id/],
    [{ id: 'x', level: 'fatal', message: 'm' }, /level "fatal"/],
    [{ id: 'x', level: 'error' }, /no message/],
  ])('rejects malformed %j', (value, error) => {
    expect(() => parseViolationPayload(value)).toThrow(error);
  });
});

describe('compliance', () => {
  it('derives the state from counts; info alone passes', () => {
    expect(
      complianceFromCounts(countViolations([{ level: 'info' }])).status,
    ).toBe('passing');
    expect(
      complianceFromCounts(
        countViolations([{ level: 'warning' }, { level: 'info' }]),
      ).status,
    ).toBe('warnings');
    expect(
      complianceFromCounts(
        countViolations([{ level: 'warning' }, { level: 'error' }]),
      ),
    ).toEqual({
      status: 'failing',
      counts: { error: 1, warning: 1, info: 0 },
    });
  });

  it('an unknown state carries its reason', () => {
    expect(unknownCompliance('not-configured', 'no engine')).toEqual({
      status: 'unknown',
      reason: 'not-configured',
      reasonMessage: 'no engine',
      counts: { error: 0, warning: 0, info: 0 },
    });
  });
});
