import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { AdminPrincipalEntity, AdminRole } from '@switchyard/database';

export class CreateAdminTokenBody {
  @ApiProperty({ example: 'ci pipeline' }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({
    enum: ['owner', 'admin', 'viewer'],
    description: 'viewer reads only; admin changes; owner also manages tokens',
  })
  @IsIn(['owner', 'admin', 'viewer'])
  role!: AdminRole;
}

export class AdminTokenView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'admin_token' }) object!: 'admin_token';
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['owner', 'admin', 'viewer'] }) role!: AdminRole;
  @ApiProperty({ nullable: true, type: String, description: 'null for a platform token' }) tenant_id!:
    string | null;
  @ApiProperty({ example: 'sy-admin-AbCd' }) prefix!: string;
  @ApiProperty({ nullable: true, type: String }) revoked_at!: string | null;
  @ApiProperty() created_at!: string;
}

export class CreatedAdminTokenView extends AdminTokenView {
  @ApiProperty({ description: 'The plaintext token. Returned only in this response.' }) token!: string;
}

export function adminTokenView(principal: AdminPrincipalEntity): AdminTokenView {
  return {
    id: principal.id,
    object: 'admin_token',
    name: principal.name,
    role: principal.role,
    tenant_id: principal.tenantId,
    prefix: principal.tokenPrefix,
    revoked_at: principal.revokedAt?.toISOString() ?? null,
    created_at: principal.createdAt.toISOString(),
  };
}
