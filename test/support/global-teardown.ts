import { TEMPLATE_DB, withAdminClient } from './services';

export default async function globalTeardown(): Promise<void> {
  await withAdminClient(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  });
}
