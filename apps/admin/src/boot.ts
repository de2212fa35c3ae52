import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { NextFunction, Request, Response } from 'express';
import { AppConfig } from '@switchyard/config';
import { DeclarativeConfigService } from '@switchyard/catalog';
import { AdminPrincipalService } from '@switchyard/tenants';
import { AdminModule } from './admin.module';
import { errorBody } from './errors/admin-exception.filter';
import { adminValidationPipe } from './errors/validation';

export interface AdminStartup {
  app: INestApplication;
  /** Set when this start created the bootstrap admin token (no ADMIN_TOKEN given). */
  generatedAdminToken: string | null;
}

/**
 * Builds the admin app, applies the declarative start (switchyard.yaml, env shortcuts) and the
 * bootstrap admin token, then listens. Shared by the admin main, all-in-one and the tests.
 */
export async function bootAdmin(config: AppConfig, logger: LoggerService | false): Promise<AdminStartup> {
  const app = await NestFactory.create<NestExpressApplication>(AdminModule.forRoot(config), {
    logger,
    abortOnError: false,
  });
  app.setGlobalPrefix('admin/v1', { exclude: ['health/live', 'health/ready'] });
  app.useGlobalPipes(adminValidationPipe());
  app.useBodyParser('json', { limit: '1mb' });
  app.disable('x-powered-by');
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Switchyard admin API')
      .setDescription('Tenants, keys, providers, models. Errors: {"error":{"type","message","details"}}.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('admin/docs', app, document, { jsonDocumentUrl: 'admin/docs-json' });
  await app.init();
  // Body-parser failures (malformed JSON, too large) happen before Nest's filters see them.
  app.use(
    (error: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent || error.status === undefined) return next(error);
      const tooLarge = error.type === 'entity.too.large';
      res
        .status(error.status)
        .json(
          errorBody(
            tooLarge ? 'request_too_large' : 'invalid_request',
            tooLarge ? 'Request body too large.' : 'Request body is not valid JSON.',
            {},
          ),
        );
    },
  );

  const generatedAdminToken = await app.get(AdminPrincipalService).ensureBootstrapToken();
  await app.get(DeclarativeConfigService).apply();
  await app.listen(config.admin.port, config.host);
  return { app, generatedAdminToken };
}
