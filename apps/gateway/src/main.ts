import 'reflect-metadata';
import {
  configOrExit,
  onShutdownSignal,
  prepareDatabase,
  preflight,
  processLogger,
  runMain,
} from '@switchyard/runtime';
import { bootGateway } from './boot';

runMain('gateway', async () => {
  const config = configOrExit();
  const logger = processLogger(config);
  await preflight(config, { postgres: true, redis: true });
  await prepareDatabase(config);
  const app = await bootGateway(config, logger);
  logger.log({ port: config.gateway.port }, 'gateway listening');
  onShutdownSignal(() => app.close());
});
