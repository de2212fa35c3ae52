import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { databaseUrl, templateDb, withAdminClient } from './services';

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs SQL against this database. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Refuses every connection to this database and cuts the open ones, as if Postgres went away. */
  block(): Promise<void>;
  unblock(): Promise<void>;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `sy_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`));
  const url = databaseUrl(name);
  // A pool, not one client: it reconnects after block()/unblock().
  const pool = new Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined); // idle clients cut by block(): the next query reconnects
  return {
    name,
    url,
    async query<R>(sql: string, params: unknown[] = []): Promise<R[]> {
      return (await pool.query(sql, params)).rows as R[];
    },
    async block(): Promise<void> {
      await withAdminClient(async (admin) => {
        await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
          name,
        ]);
      });
    },
    async unblock(): Promise<void> {
      await withAdminClient((admin) => admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`));
    },
    async drop(): Promise<void> {
      await pool.end();
      await withAdminClient((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
