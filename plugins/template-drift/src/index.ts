/**
 * Template drift frontend (legacy exports; the new frontend system entry is
 * at `/alpha`).
 *
 * @packageDocumentation
 */
export {
  templateDriftPlugin,
  TemplateDriftPage,
  EntityTemplateDriftCard,
} from './plugin';
export { isTemplateDriftAvailable } from './isTemplateDriftAvailable';
export {
  useEntityTemplateDrift,
  useTemplateDriftList,
} from './hooks/useTemplateDrift';
export { templateDriftRouteRef } from './routes';
