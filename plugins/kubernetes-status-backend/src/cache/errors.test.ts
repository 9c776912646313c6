import { classifyError } from './errors';

describe('classifyError', () => {
  it('reports a watch stream cut mid-response (node-fetch "Premature close") as unreachable', () => {
    const cut = Object.assign(new Error('Premature close'), {
      code: 'ERR_STREAM_PREMATURE_CLOSE',
    });
    expect(classifyError(cut)).toMatchObject({ type: 'unreachable' });
    expect(classifyError(new Error('Premature close'))).toMatchObject({
      type: 'unreachable',
    });
  });

  it('keeps HTTP statuses first', () => {
    expect(
      classifyError({ code: 403, body: { message: 'pods is forbidden' } }),
    ).toEqual({
      type: 'forbidden',
      status: 403,
      message: 'pods is forbidden',
    });
    expect(classifyError({ code: 401 })).toMatchObject({
      type: 'unauthorized',
      status: 401,
    });
    expect(
      classifyError(
        Object.assign(new Error('connect ECONNREFUSED'), {
          code: 'ECONNREFUSED',
        }),
      ),
    ).toMatchObject({
      type: 'unreachable',
    });
  });
});
