export interface Config {
  scaffolder?: {
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
