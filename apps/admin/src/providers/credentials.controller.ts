import { Body, Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { CredentialId, ProviderId } from '@switchyard/common';
import { Caller } from '@switchyard/audit';
import { CredentialVault } from '@switchyard/catalog';
import { CredentialStatus, ProviderCredentialEntity } from '@switchyard/database';
import { PlatformRead, PlatformWrite } from '../auth/access';
import { CallerParam } from '../auth/caller.decorator';
import { uuidParam } from '../common/uuid-param';
import { CredentialView } from './provider.dto';

class AddCredentialBody {
  @ApiProperty({ example: 'sk-…', writeOnly: true, description: 'Stored encrypted; never returned' })
  @IsString()
  @Length(1, 4096)
  api_key!: string;

  @ApiPropertyOptional({ example: 'org-2 key' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  label?: string;
}

class RotateCredentialBody {
  @ApiProperty({
    example: 'sk-…',
    writeOnly: true,
    description: 'The replacement secret; the old one is disabled in the same transaction',
  })
  @IsString()
  @Length(1, 4096)
  api_key!: string;
}

class UpdateCredentialBody {
  @ApiProperty({ enum: ['active', 'disabled'] })
  @IsIn(['active', 'disabled'])
  status!: CredentialStatus;
}

class ProbeResultView {
  @ApiProperty() credential_id!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ nullable: true, type: Number }) status!: number | null;
  @ApiProperty() latency_ms!: number;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
}

class ProviderTestView {
  @ApiProperty() provider_id!: string;
  @ApiProperty({ description: 'true when every active credential works' }) ok!: boolean;
  @ApiProperty({ type: [ProbeResultView] }) results!: ProbeResultView[];
}

function credentialView(credential: ProviderCredentialEntity): CredentialView {
  return {
    id: credential.id,
    hint: credential.hint,
    status: credential.status,
    key_version: credential.keyVersion,
    created_at: credential.createdAt.toISOString(),
  };
}

/** The credential vault of a provider: several keys used in turn, changed without a restart. */
@ApiTags('providers')
@ApiBearerAuth()
@Controller('providers/:id')
export class CredentialsController {
  constructor(private readonly vault: CredentialVault) {}

  @Post('credentials')
  @PlatformWrite()
  @ApiCreatedResponse({ type: CredentialView })
  async add(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('provider')) id: string,
    @Body() body: AddCredentialBody,
  ): Promise<CredentialView> {
    return credentialView(await this.vault.add(caller, id as ProviderId, body.api_key, body.label ?? null));
  }

  @Patch('credentials/:credentialId')
  @PlatformWrite()
  @ApiOkResponse({
    type: CredentialView,
    description: 'Disable or re-enable; the last active credential cannot be disabled (409)',
  })
  async update(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('provider')) id: string,
    @Param('credentialId', uuidParam('credential')) credentialId: string,
    @Body() body: UpdateCredentialBody,
  ): Promise<CredentialView> {
    return credentialView(
      await this.vault.setStatus(caller, id as ProviderId, credentialId as CredentialId, body.status),
    );
  }

  @Post('credentials/:credentialId/rotate')
  @PlatformWrite()
  @ApiCreatedResponse({ type: CredentialView, description: 'The new credential' })
  async rotate(
    @CallerParam() caller: Caller,
    @Param('id', uuidParam('provider')) id: string,
    @Param('credentialId', uuidParam('credential')) credentialId: string,
    @Body() body: RotateCredentialBody,
  ): Promise<CredentialView> {
    return credentialView(
      await this.vault.rotate(caller, id as ProviderId, credentialId as CredentialId, body.api_key),
    );
  }

  @Post('test')
  @PlatformRead()
  @HttpCode(200)
  @ApiOkResponse({
    type: ProviderTestView,
    description: "Calls the upstream's model list with each active credential",
  })
  async test(@Param('id', uuidParam('provider')) id: string): Promise<ProviderTestView> {
    const { provider, results } = await this.vault.test(id as ProviderId);
    return {
      provider_id: provider.id,
      ok: results.length > 0 && results.every((result) => result.ok),
      results: results.map((result) => ({
        credential_id: result.credentialId,
        ok: result.ok,
        status: result.status,
        latency_ms: result.latencyMs,
        error: result.error,
      })),
    };
  }
}
