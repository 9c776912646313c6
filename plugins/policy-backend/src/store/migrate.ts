import { DatabaseService, resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const MIGRATIONS_DIR = resolvePackagePath('@paved/plugin-policy-backend', 'migrations');

/** The plugin's knex client with its migrations applied (unless the database service skips them). */
export async function migratedClient(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: MIGRATIONS_DIR, tableName: 'policy_knex_migrations' });
  }
  return client;
}
