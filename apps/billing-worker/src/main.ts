import 'reflect-metadata';
import { runApp } from '@switchyard/runtime';
import { bootWorker } from './boot';

runApp('billing-worker', async (config, logger) => {
  const app = await bootWorker(config, logger);
  logger.log({ port: config.worker.port }, 'billing worker consuming the usage queue');
  return app;
});
