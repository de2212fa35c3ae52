import { Module } from '@nestjs/common';
import { ApiKeyService } from './api-key.service';
import { KeyAuthenticator } from './key-authenticator';

/** Control plane: issue, change, rotate and revoke keys (needs the audit module). */
@Module({ providers: [ApiKeyService], exports: [ApiKeyService] })
export class KeysModule {}

/** Data plane: resolve a presented key to its principal, cached. */
@Module({ providers: [KeyAuthenticator], exports: [KeyAuthenticator] })
export class KeyAuthModule {}
