export interface Config {
  policy?: {
    catalogChanges?: {
      /**
       * Re-evaluate entities a few seconds after the catalog changes them
       * (besides the scheduled run). Needs `policy.opa.baseUrl`. Default true.
       * @visibility backend
       */
      enabled?: boolean;
    };
  };
}
