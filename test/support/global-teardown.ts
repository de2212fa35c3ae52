import { withAdminClient } from './services';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.SWITCHYARD_TEST_TEMPLATE;
  if (!template) return;
  await withAdminClient(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  });
}
