import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@switchyard/config';
import { WorkerModule } from './worker.module';

/**
 * Builds the billing worker; its BullMQ consumers start on init. Alone, it serves /health/live and
 * /health/ready on WORKER_PORT for orchestrators; inside all-in-one (`listen: false`) the gateway
 * and admin ports already do.
 */
export async function bootWorker(
  config: AppConfig,
  logger: LoggerService | false,
  options: { listen?: boolean } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(WorkerModule.forRoot(config), {
    logger,
    abortOnError: false,
    bodyParser: false,
  });
  if (options.listen === false) await app.init();
  else await app.listen(config.worker.port, config.host);
  return app;
}
