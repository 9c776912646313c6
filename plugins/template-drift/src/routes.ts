import { createRouteRef } from '@backstage/core-plugin-api';

/** @public */
export const templateDriftRouteRef = createRouteRef({
  id: 'template-drift:page',
});
