import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, Length, Matches } from 'class-validator';
import { PROVIDER_KINDS, ProviderKind } from '@switchyard/database';
import { PROVIDER_PROFILES, ProviderWithCredentials } from '@switchyard/catalog';

export class CreateProviderBody {
  @ApiProperty({ example: 'openai-main' })
  @IsString()
  @Length(1, 100)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'name may contain letters, digits, . _ and -' })
  name!: string;

  @ApiProperty({ enum: PROVIDER_KINDS, example: 'openai' })
  @IsIn(PROVIDER_KINDS)
  kind!: ProviderKind;

  @ApiProperty({
    example: 'https://api.openai.com/v1',
    description:
      'openai / openai_compatible: the URL that /chat/completions, /responses and /embeddings are appended to (ends in /v1); ' +
      'anthropic and gemini: the host root (https://api.anthropic.com, https://generativelanguage.googleapis.com)',
  })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  base_url!: string;

  @ApiProperty({
    example: 'sk-…',
    description: 'Stored encrypted (AES-256-GCM); never returned.',
    writeOnly: true,
  })
  @IsString()
  @Length(1, 4096)
  api_key!: string;

  @ApiPropertyOptional({
    enum: PROVIDER_PROFILES,
    example: 'deepseek',
    description: 'Quirks profile of an openai_compatible server (docs/providers.md); generic when absent',
  })
  @IsOptional()
  @IsString()
  @IsIn(PROVIDER_PROFILES, { message: `profile must be one of ${PROVIDER_PROFILES.join(', ')}` })
  profile?: string;
}

/** PATCH /providers/{id}: the kind is fixed; credentials change through the vault routes. */
export class UpdateProviderBody extends PartialType(
  OmitType(CreateProviderBody, ['kind', 'api_key'] as const),
) {
  @ApiPropertyOptional({
    enum: ['active', 'disabled'],
    description: 'A disabled provider receives no traffic',
  })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';
}

export class CredentialView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '…a1b2', description: 'Last four characters, to tell credentials apart' })
  hint!: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: string;
  @ApiProperty() key_version!: number;
  @ApiProperty() created_at!: string;
}

export class ProviderView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'provider' }) object!: 'provider';
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PROVIDER_KINDS }) kind!: ProviderKind;
  @ApiProperty({ nullable: true, type: String }) profile!: string | null;
  @ApiProperty() base_url!: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: string;
  @ApiProperty({ type: [CredentialView] }) credentials!: CredentialView[];
  @ApiProperty() created_at!: string;
}

export function providerView({ provider, credentials }: ProviderWithCredentials): ProviderView {
  return {
    id: provider.id,
    object: 'provider',
    name: provider.name,
    kind: provider.kind,
    profile: provider.profile,
    base_url: provider.baseUrl,
    status: provider.status,
    credentials: credentials.map((credential) => ({
      id: credential.id,
      hint: credential.hint,
      status: credential.status,
      key_version: credential.keyVersion,
      created_at: credential.createdAt.toISOString(),
    })),
    created_at: provider.createdAt.toISOString(),
  };
}
