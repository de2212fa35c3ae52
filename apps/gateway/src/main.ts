import 'reflect-metadata';
import { runApp } from '@switchyard/runtime';
import { bootGateway } from './boot';

runApp('gateway', async (config, logger) => {
  const app = await bootGateway(config, logger);
  logger.log({ port: config.gateway.port }, 'gateway listening');
  return app;
});
