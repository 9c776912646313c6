import { createRouteRef } from '@backstage/core-plugin-api';

/** @public */
export const clustersRouteRef = createRouteRef({
  id: 'kubernetes-status:clusters',
});
