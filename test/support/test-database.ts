import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrl, templateDb, withAdminClient } from './services';

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs SQL against this database. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `sy_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`));
  const url = databaseUrl(name);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    name,
    url,
    async query<R>(sql: string, params: unknown[] = []): Promise<R[]> {
      return (await client.query(sql, params)).rows as R[];
    },
    async drop(): Promise<void> {
      await client.end();
      await withAdminClient((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
