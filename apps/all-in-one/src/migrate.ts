import 'reflect-metadata';
import { configOrExit, prepareDatabase, preflight, processLogger, runMain } from '@switchyard/runtime';

/** `npm run migrate`: creates the database if needed and applies pending migrations. */
runMain('migrate', async () => {
  const config = configOrExit();
  processLogger(config);
  await preflight(config, { postgres: true, redis: false });
  const applied = await prepareDatabase(config);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
});
