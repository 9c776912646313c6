import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Clusters page. @public */
export const clustersRouteRef = createRouteRef();
