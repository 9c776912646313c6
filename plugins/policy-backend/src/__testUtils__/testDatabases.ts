import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const PG_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * SQLite and the machine's PostgreSQL (127.0.0.1:5432, user postgres, as in
 * the backend integration tests; override with the env variable). Docker is
 * never used.
 */
export function policyTestDatabases(): {
  databases: TestDatabases;
  ids: TestDatabaseId[];
} {
  process.env[PG_ENV] ??= `postgresql://${
    process.env.POSTGRES_USER ?? 'postgres'
  }@${process.env.POSTGRES_HOST ?? '127.0.0.1'}:${
    process.env.POSTGRES_PORT ?? 5432
  }`;
  const ids: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15'];
  return { databases: TestDatabases.create({ ids, disableDocker: true }), ids };
}
