/**
 * Template drift frontend, for Backstage's new frontend system only. The
 * default export is the plugin (also at `/alpha`).
 *
 * @packageDocumentation
 */
export { templateDriftPlugin as default } from './plugin';
export { isTemplateDriftAvailable } from './isTemplateDriftAvailable';
export {
  useEntityTemplateDrift,
  useTemplateDriftList,
} from './hooks/useTemplateDrift';
export { templateDriftRouteRef } from './routes';
