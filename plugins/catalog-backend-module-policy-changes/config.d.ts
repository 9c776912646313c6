export interface Config {
  policy?: {
    catalogChanges?: {
      /**
       * Re-evaluate entities a few seconds after the catalog changes them
       * (besides the scheduled run). Needs `policy.opa.baseUrl`. Default true.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * Entities whose content hash the catalog module keeps in memory to notice
       * changes (least recently processed dropped first). Default 100000.
       * @visibility backend
       */
      maxTrackedEntities?: number;
    };
  };
}
