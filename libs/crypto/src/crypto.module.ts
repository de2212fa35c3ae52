import { Global, Logger, Module } from '@nestjs/common';
import { AppConfig } from '@switchyard/config';
import { KeyRing } from './key-ring';
import { developmentSecretsKey } from './development-secrets-key';

/** Provides the credential KeyRing built from SECRETS_KEY (+ previous versions). */
@Global()
@Module({
  providers: [
    {
      provide: KeyRing,
      inject: [AppConfig],
      useFactory: (config: AppConfig): KeyRing => {
        const current = config.secrets.current ?? developmentSecretsKey(new Logger('KeyRing'));
        return new KeyRing(current.version, [current, ...config.secrets.previous]);
      },
    },
  ],
  exports: [KeyRing],
})
export class CryptoModule {}
