import { toError } from '@backstage/errors';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { setTimeout as sleep } from 'node:timers/promises';

const MIGRATIONS_DIR = resolvePackagePath(
  '@paved/plugin-policy-backend',
  'migrations',
);
/**
 * How long a replica keeps retrying while another holds the migration lock.
 * The holder is making progress; on a busy machine a full migration run on
 * PostgreSQL took longer than the 3 s that five quick retries gave.
 */
const RETRY_FOR_MS = 60_000;

/**
 * The plugin's knex client with its migrations applied (unless the database
 * service skips them). Replicas starting together race to create knex's
 * bookkeeping tables or hold its migration lock; the loser retries for up to
 * a minute.
 */
export async function migratedClient(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (database.migrations?.skip) return client;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateOneAtATime(client);
      return client;
    } catch (error) {
      const message = toError(error).message;
      const raced = /already exists|already locked|duplicate key/i.test(
        message,
      );
      if (!raced || Date.now() - started > RETRY_FOR_MS) throw error;
      await sleep(Math.min(1000, 200 * attempt) + Math.random() * 200);
    }
  }
}

/** Any fixed number: the key of the PostgreSQL advisory lock below. */
const MIGRATION_LOCK_KEY = 7_420_113_001;

/**
 * Runs the migrations, on PostgreSQL while holding an advisory lock. Without
 * it, two replicas creating knex's bookkeeping tables together can both
 * insert the lock table's row; knex then finds two rows, and every later
 * attempt fails with "Migration table is already locked", forever. The lock
 * is held by a transaction on its own connection, so the migrations (on
 * others) are not inside it.
 */
async function migrateOneAtATime(client: Knex): Promise<void> {
  const migrate = () =>
    client.migrate.latest({
      directory: MIGRATIONS_DIR,
      tableName: 'policy_knex_migrations',
    });
  if (client.client.dialect !== 'postgresql') {
    await migrate();
    return;
  }
  await client.transaction(async trx => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    await migrate();
  });
}
