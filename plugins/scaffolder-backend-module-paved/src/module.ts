import { toError } from '@backstage/errors';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { resolvePublishTarget } from './actions/gitHostPublishAction';
import { createPublishLocalGitAction } from './actions/publishLocalGit';
import { createPublishPavedAction } from './actions/publishPaved';
import { createValidateAction } from './actions/validate';
import { readLocalGitSettings } from './config';
import {
  CATALOG_LOCATION_NAME,
  ensureCatalogLocationFile,
} from './publish/LocalRepositoryPublisher';

/**
 * Adds `publish:paved`, `publish:local-git` and `paved:validate` to the
 * scaffolder, and
 * writes the Location through which the catalog reads published
 * repositories (before the catalog starts processing, which happens in a
 * start-up hook after every plugin has initialised).
 *
 * @public
 */
export const scaffolderModulePaved = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paved',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, logger, auth, catalog }) {
        const settings = readLocalGitSettings(config);
        try {
          const locationFile = await ensureCatalogLocationFile(
            settings.baseDir,
          );
          logger.info(
            `Publishing local git repositories to ${settings.baseDir}; catalog location ${locationFile}`,
          );
        } catch (error) {
          // A read-only data directory (e.g. a production image that
          // publishes to a git host instead) must not stop the backend.
          logger.warn(
            `Cannot prepare ${settings.baseDir} for publish:local-git; the action will fail until it is writable`,
            toError(error),
          );
        }
        const locationRef = `location:default/${CATALOG_LOCATION_NAME}`;
        const localOptions = {
          baseDir: settings.baseDir,
          defaultAuthor: settings.defaultAuthor,
          // Re-read the repositories Location now, so the new component
          // shows up in seconds rather than at the next processing pass.
          onPublished: async () => {
            await catalog.refreshEntity(locationRef, {
              credentials: await auth.getOwnServiceCredentials(),
            });
          },
        };

        const { target, gitHostAction, configurationProblem } =
          resolvePublishTarget(config);
        if (configurationProblem) {
          logger.error(configurationProblem);
        } else if (target.name !== 'local') {
          logger.info(
            `publish:paved publishes to ${target.name} ${target.host}, owner ${target.owner}`,
          );
        }

        scaffolder.addActions(
          createPublishPavedAction({
            target,
            local: localOptions,
            gitHostAction,
            configurationProblem,
            registerInCatalog: async (catalogInfoUrl, ctx) => {
              await catalog.addLocation(
                { type: 'url', target: catalogInfoUrl },
                { credentials: await ctx.getInitiatorCredentials() },
              );
            },
          }),
          createPublishLocalGitAction(localOptions),
          createValidateAction({ catalog, auth }),
        );
      },
    });
  },
});
