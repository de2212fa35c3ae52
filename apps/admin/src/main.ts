import 'reflect-metadata';
import {
  configOrExit,
  onShutdownSignal,
  prepareDatabase,
  preflight,
  processLogger,
  runMain,
} from '@switchyard/runtime';
import { bootAdmin } from './boot';
import { announceAdminToken } from './announce';

runMain('admin', async () => {
  const config = configOrExit();
  const logger = processLogger(config);
  await preflight(config, { postgres: true, redis: true });
  await prepareDatabase(config);
  const { app, generatedAdminToken } = await bootAdmin(config, logger);
  announceAdminToken(generatedAdminToken);
  logger.log({ port: config.admin.port }, 'admin API listening');
  onShutdownSignal(() => app.close());
});
