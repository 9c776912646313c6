export interface Config {
  scaffolder?: {
    paved?: {
      /** Where `publish:paved` publishes. */
      publish?: {
        /**
         * `local` (git repositories under `scaffolder.localGit.baseDir`),
         * `github`, `gitlab` or `gitea` (needs `integrations.<target>` with
         * a token). Default: `local`.
         * @visibility backend
         */
        target?: 'local' | 'github' | 'gitlab' | 'gitea';
        github?: {
          /** Default: `github.com`. @visibility backend */
          host?: string;
          /** Organisation or user owning new repositories. Required for this target. @visibility backend */
          owner?: string;
          /** Default: `private`. @visibility backend */
          repoVisibility?: 'private' | 'public' | 'internal';
        };
        gitlab?: {
          /** Default: `gitlab.com`. @visibility backend */
          host?: string;
          /** Group (may be nested, e.g. `platform/services`) owning new projects. Required for this target. @visibility backend */
          group?: string;
          /** Default: `private`. @visibility backend */
          repoVisibility?: 'private' | 'public' | 'internal';
        };
        gitea?: {
          /** Host of the `integrations.gitea` entry. Required for this target. @visibility backend */
          host?: string;
          /** Organisation owning new repositories. Required for this target. @visibility backend */
          owner?: string;
          /** Default: `private` (`internal` is published as `private`). @visibility backend */
          repoVisibility?: 'private' | 'public' | 'internal';
        };
      };
    };
    /** Offline git publisher (`publish:local-git`). */
    localGit?: {
      /**
       * Directory holding the published repositories, one sub-directory per
       * repository. Relative paths resolve against the backend's working
       * directory. Default: `.data/repositories` under that directory.
       * @visibility backend
       */
      baseDir?: string;
      /**
       * Commit author when the task has no signed-in user with a profile.
       * Default: `Paved Scaffolder <scaffolder@paved.local>`.
       * @visibility backend
       */
      defaultAuthor?: {
        /** @visibility backend */
        name?: string;
        /** @visibility backend */
        email?: string;
      };
    };
  };
}
