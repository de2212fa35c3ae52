import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { AuditModule } from '@switchyard/audit';
import { CatalogAdminModule, CredentialVault } from '@switchyard/catalog';
import { ConfigModule } from '@switchyard/config';
import { CryptoModule } from '@switchyard/crypto';
import { DatabaseModule } from '@switchyard/database';
import { RedisModule } from '@switchyard/redis';
import { configOrExit, prepareDatabase, preflight, processLogger, runMain } from '@switchyard/runtime';

/**
 * `npm run secrets:reencrypt`: after SECRETS_KEY is replaced (new SECRETS_KEY_VERSION, old key in
 * SECRETS_PREVIOUS_KEYS), re-encrypts every stored credential under the new key. Idempotent.
 */
runMain('reencrypt', async () => {
  const config = configOrExit();
  const logger = processLogger(config);
  await preflight(config, { postgres: true, redis: true });
  await prepareDatabase(config);

  @Module({
    imports: [
      ConfigModule.forRoot(config),
      DatabaseModule,
      RedisModule,
      CryptoModule,
      AuditModule,
      CatalogAdminModule,
    ],
  })
  class ReencryptModule {}

  const app = await NestFactory.createApplicationContext(ReencryptModule, { logger });
  try {
    const result = await app.get(CredentialVault).reencryptAll();
    process.stdout.write(
      `re-encrypted ${result.reencrypted} credential(s) under key v${config.secrets.current?.version ?? 1}; ${result.alreadyCurrent} already current\n`,
    );
  } finally {
    await app.close();
  }
});
