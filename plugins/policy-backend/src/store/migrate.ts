import { toError } from '@backstage/errors';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const MIGRATIONS_DIR = resolvePackagePath(
  '@paved/plugin-policy-backend',
  'migrations',
);
const ATTEMPTS = 5;

/**
 * The plugin's knex client with its migrations applied (unless the database
 * service skips them). Replicas starting together race to create knex's
 * bookkeeping tables or hold its migration lock; the loser retries.
 */
export async function migratedClient(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (database.migrations?.skip) return client;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.migrate.latest({
        directory: MIGRATIONS_DIR,
        tableName: 'policy_knex_migrations',
      });
      return client;
    } catch (error) {
      const message = toError(error).message;
      const raced = /already exists|already locked|duplicate key/i.test(
        message,
      );
      if (!raced || attempt >= ATTEMPTS) throw error;
      await new Promise(resolve =>
        setTimeout(resolve, 200 * attempt + Math.random() * 200),
      );
    }
  }
}
