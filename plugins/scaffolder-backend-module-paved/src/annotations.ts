// The keys live in the drift package, which reads them back in the portal.
export {
  TEMPLATE_NAME_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from '@paved/plugin-template-drift-common';
