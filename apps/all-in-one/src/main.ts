import 'reflect-metadata';
import { announceAdminToken, bootAdmin } from '@switchyard/admin-app';
import { bootWorker } from '@switchyard/billing-worker-app';
import { bootGateway } from '@switchyard/gateway-app';
import { configOrExit, onShutdownSignal, prepareDatabase, preflight, processLogger, runMain } from '@switchyard/runtime';

/** Gateway, admin API and billing worker in one process: the laptop and demo shape. No logic. */
runMain('all-in-one', async () => {
  const config = configOrExit();
  const logger = processLogger(config);
  await preflight(config, { postgres: true, redis: true });
  await prepareDatabase(config);
  const admin = await bootAdmin(config, logger);
  const worker = await bootWorker(config, logger);
  const gateway = await bootGateway(config, logger);
  logger.log({ gatewayPort: config.gateway.port, adminPort: config.admin.port }, 'switchyard is up (gateway, admin, worker)');
  announceAdminToken(admin.generatedAdminToken);
  onShutdownSignal(async () => {
    // Gateway first: its in-flight requests finish and its usage buffer is flushed to the queue,
    // which the worker then still drains.
    await gateway.close();
    await worker.close();
    await admin.app.close();
  });
});
