import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '@switchyard/database';
import { databaseUrl, withAdminClient } from './services';

const TEMPLATE_PATTERN = /^sy_test_tpl_(\d+)_[0-9a-f]+$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Once per run: a template database with every migration applied, named for this run so two
 * runs on one machine never share (or drop) each other's. Each test file clones it (CREATE
 * DATABASE ... TEMPLATE), which takes a fraction of a second and shares nothing.
 */
export default async function globalSetup(): Promise<void> {
  const template = `sy_test_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  process.env.SWITCHYARD_TEST_TEMPLATE = template; // inherited by the test workers
  await withAdminClient(async (client) => {
    // Templates and clones left by runs that were killed before their teardown.
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'sy_test_tpl_%'",
    );
    for (const { datname } of rows) {
      const pid = Number(TEMPLATE_PATTERN.exec(datname)?.[1]);
      if (pid && !alive(pid)) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    await client.query(`CREATE DATABASE ${template}`);
  });
  const dataSource = new DataSource(dataSourceOptions(databaseUrl(template), { extra: { max: 2 } }));
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
}
