/*
 * Paved's backend: upstream Backstage plugins plus Paved's own modules.
 * Wiring only; each feature lives in its own package.
 */
import { createBackend } from '@backstage/backend-defaults';
import { kubernetesObjectCacheServiceFactory } from '@paved/plugin-kubernetes-status-backend';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
// Events: lets catalog and signals subscribe to each other in one process.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Auth: guest sign-in for local use (maps to a catalog user).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));

// Scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));
// Git host publishers (publish:github, publish:gitlab, publish:gitea); publish:paved
// delegates to them when scaffolder.paved.publish.target names that host
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-gitlab'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-gitea'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// Golden paths: publish:paved (local git under .data/ by default, or the git host in
// scaffolder.paved.publish.target), publish:local-git and paved:validate
backend.add(import('@paved/plugin-scaffolder-backend-module-paved'));
// policy:check: golden paths check generated files against OPA before publishing
backend.add(import('@paved/plugin-scaffolder-backend-module-policy'));

// TechDocs
backend.add(import('@backstage/plugin-techdocs-backend'));

// Permissions: Paved's policy (read + self-service for users, admin for platform-team);
// with permission.opa.enabled the same module asks OPA first, Paved's policy as fallback
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@paved/plugin-permission-backend-module-paved-policy'));

// Search: PostgreSQL engine in production, in-memory Lunr on SQLite
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// Kubernetes status: shared watch caches (root service) + the status API
backend.add(import('@paved/plugin-kubernetes-status-backend'));
backend.add(kubernetesObjectCacheServiceFactory);

// Policy: scheduled OPA evaluation of the catalog, findings and history
// (says "no policy engine configured" until policy.opa.baseUrl is set)
backend.add(import('@paved/plugin-policy-backend'));
// ...and re-evaluation seconds after the catalog changes an entity: this catalog
// module announces changed entities on the events service (off without policy.opa.baseUrl)
backend.add(import('@paved/plugin-catalog-backend-module-policy-changes'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();
