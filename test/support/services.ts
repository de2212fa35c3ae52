import { Client } from 'pg';

/** Where the test run's Postgres and Redis are; the defaults are the CI machine's. */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The migrated template of this run, named by the global setup. */
export function templateDb(): string {
  const name = process.env.SWITCHYARD_TEST_TEMPLATE;
  if (!name)
    throw new Error(
      'SWITCHYARD_TEST_TEMPLATE is not set: run the tests through Jest (its global setup makes the template)',
    );
  return name;
}

export function databaseUrl(name: string): string {
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
