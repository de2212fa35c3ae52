import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@switchyard/config';
import { dataSourceOptions } from './data-source';
import { ENTITIES } from './entities';

/** The one Postgres connection pool of a process. Repositories are injected by lib modules. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.database.url),
        // Start-up has already checked Postgres (preflight); do not spin on retries here.
        retryAttempts: 0,
      }),
    }),
    TypeOrmModule.forFeature(ENTITIES),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
