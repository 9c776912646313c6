export interface Config {
  permission?: {
    /** Paved's permission policy. */
    paved?: {
      /**
       * Groups whose members may administer everything (delete locations,
       * manage templates, cancel any task). Default: `group:default/platform-team`.
       * @visibility backend
       */
      adminGroups?: string[];
    };
  };
}
