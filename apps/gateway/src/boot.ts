import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Server } from 'node:http';
import { AppConfig } from '@switchyard/config';
import { GatewayModule } from './gateway.module';
import { HotPathServer } from './http/hot-path.server';

/**
 * Builds the gateway app and starts listening. Used by the gateway's own main, by all-in-one
 * and by the tests, so all three run exactly the same wiring.
 */
export async function bootGateway(
  config: AppConfig,
  logger: LoggerService | false,
): Promise<INestApplication> {
  const app = await NestFactory.create(GatewayModule.forRoot(config), {
    logger,
    bodyParser: false,
    abortOnError: false,
  });
  app.get(HotPathServer).attach(app.getHttpServer() as Server);
  const server = app.getHttpServer() as Server;
  // Upstreams may think for minutes before the first byte; Node's defaults would cut them off.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  await app.listen(config.gateway.port, config.host);
  return app;
}
