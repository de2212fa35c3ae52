import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@switchyard/config';
import { dataSourceOptions, ensureDatabaseExists, runMigrations } from '@switchyard/database';

/** Creates the database if missing and applies pending migrations under the advisory lock. */
export async function prepareDatabase(config: AppConfig, log = new Logger('Migrations')): Promise<string[]> {
  await ensureDatabaseExists(config.database.url);
  const dataSource = new DataSource(dataSourceOptions(config.database.url, { extra: { max: 2 } }));
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    if (applied.length > 0) log.log({ applied }, 'migrations applied');
    return applied;
  } finally {
    await dataSource.destroy();
  }
}
