import 'reflect-metadata';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { announceAdminToken, bootAdmin } from '@switchyard/admin-app';
import { bootWorker } from '@switchyard/billing-worker-app';
import { bootGateway } from '@switchyard/gateway-app';
import {
  configOrExit,
  onShutdownSignal,
  prepareDatabase,
  preflight,
  processLogger,
  runMain,
} from '@switchyard/runtime';

/** Gateway, admin API and billing worker in one process: the laptop and demo shape. No logic. */
runMain('all-in-one', async () => {
  const config = configOrExit();
  const logger = processLogger(config);
  const started: { gateway?: INestApplication; worker?: INestApplicationContext; admin?: INestApplication } =
    {};
  // Registered before anything starts, so a SIGTERM during start-up still closes what is up.
  onShutdownSignal(async () => {
    // Gateway first: its in-flight requests finish and its usage buffer is flushed to the queue,
    // which the worker then still drains.
    await started.gateway?.close();
    await started.worker?.close();
    await started.admin?.close();
  });
  await preflight(config, { postgres: true, redis: true });
  await prepareDatabase(config);
  const admin = await bootAdmin(config, logger);
  started.admin = admin.app;
  started.worker = await bootWorker(config, logger, { listen: false });
  started.gateway = await bootGateway(config, logger);
  logger.log(
    { gatewayPort: config.gateway.port, adminPort: config.admin.port },
    'switchyard is up (gateway, admin, worker)',
  );
  announceAdminToken(admin.generatedAdminToken);
});
