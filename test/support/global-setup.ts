import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '@switchyard/database';
import { databaseUrl, TEMPLATE_DB, withAdminClient } from './services';

/**
 * Once per run: a template database with every migration applied. Each test file clones it
 * (CREATE DATABASE ... TEMPLATE), which takes a fraction of a second and shares nothing.
 */
export default async function globalSetup(): Promise<void> {
  await withAdminClient(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  });
  const dataSource = new DataSource(dataSourceOptions(databaseUrl(TEMPLATE_DB), { extra: { max: 2 } }));
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
}
