import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogImportPlugin from '@backstage/plugin-catalog-import/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import techdocsPlugin from '@backstage/plugin-techdocs/alpha';

/*
 * The routes the home widgets link to, taken from the plugins that own them
 * rather than written as paths: the catalog used to be mounted at `/` and
 * hand-written `/catalog` links broke. A route ref follows whatever path
 * app-config mounts the page at, and resolves to undefined when the page is
 * disabled, so a widget can leave the link out instead of linking to a 404.
 */

/** The catalog's index page (`/catalog`). */
export const catalogIndexRouteRef = catalogPlugin.routes.catalogIndex;
/** The scaffolder's template list, the portal's Create page (`/create`). */
export const createRouteRef = scaffolderPlugin.routes.root;
/** One scaffolder task's page (`/create/tasks/:taskId`). */
export const taskRouteRef = scaffolderPlugin.routes.ongoingTask;
/** Register an existing component (`/catalog-import`). */
export const registerComponentRouteRef = catalogImportPlugin.routes.importPage;
/** An entity's TechDocs (`/docs/:namespace/:kind/:name`). */
export const techdocsRouteRef = techdocsPlugin.routes.docRoot;
