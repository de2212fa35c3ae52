import { Module } from '@nestjs/common';
import { TenantsModule } from '@switchyard/tenants';
import { ApiKeyService } from './api-key.service';
import { KeyAuthenticator } from './key-authenticator';

@Module({ imports: [TenantsModule], providers: [ApiKeyService, KeyAuthenticator], exports: [ApiKeyService, KeyAuthenticator] })
export class KeysModule {}
