import 'reflect-metadata';
import {
  configOrExit,
  onShutdownSignal,
  prepareDatabase,
  preflight,
  processLogger,
  runMain,
} from '@switchyard/runtime';
import { bootWorker } from './boot';

runMain('billing-worker', async () => {
  const config = configOrExit();
  const logger = processLogger(config);
  await preflight(config, { postgres: true, redis: true });
  await prepareDatabase(config);
  const app = await bootWorker(config, logger);
  logger.log({ port: config.worker.port }, 'billing worker consuming the usage queue');
  onShutdownSignal(() => app.close());
});
