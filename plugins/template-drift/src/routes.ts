import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Template drift page. @public */
export const templateDriftRouteRef = createRouteRef();
