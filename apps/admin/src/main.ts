import 'reflect-metadata';
import { runApp } from '@switchyard/runtime';
import { announceAdminToken } from './announce';
import { bootAdmin } from './boot';

runApp('admin', async (config, logger) => {
  const { app, generatedAdminToken } = await bootAdmin(config, logger);
  announceAdminToken(generatedAdminToken);
  logger.log({ port: config.admin.port }, 'admin API listening');
  return app;
});
