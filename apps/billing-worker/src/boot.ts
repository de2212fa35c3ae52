import { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@switchyard/config';
import { WorkerModule } from './worker.module';

/** Builds the billing worker (no HTTP server): its BullMQ workers start on init. */
export async function bootWorker(config: AppConfig, logger: LoggerService | false): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger, abortOnError: false });
  await app.init();
  return app;
}
