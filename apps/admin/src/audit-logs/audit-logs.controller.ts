import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DomainError } from '@switchyard/common';
import { AuditFilter, AuditService, Caller, ChainReport } from '@switchyard/audit';
import { CanRead } from '../auth/access';
import { CallerParam } from '../auth/caller.decorator';
import { exportFormat, streamExport } from '../common/export';
import { ListView, listView, ApiList } from '../common/page.dto';
import {
  AUDIT_COLUMNS,
  ChainReportView,
  AuditLogQuery,
  auditLogRow,
  auditLogView,
  AuditLogView,
} from './audit-log.dto';

@ApiTags('audit logs')
@ApiBearerAuth()
@Controller('audit-logs')
export class AuditLogsController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @CanRead()
  @ApiProduces('application/json', 'text/csv', 'application/x-ndjson')
  @ApiList(AuditLogView)
  async list(
    @CallerParam() caller: Caller,
    @Query() query: AuditLogQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListView<AuditLogView> | undefined> {
    const filter = this.filter(caller, query);
    const format = exportFormat(req, query.format);
    if (format) {
      const rows = (async function* (batches: AsyncGenerator<Parameters<typeof auditLogRow>[0][]>) {
        for await (const batch of batches) yield batch.map(auditLogRow);
      })(this.audit.export(filter));
      await streamExport(res, format, 'audit-logs', AUDIT_COLUMNS, rows);
      return undefined;
    }
    return listView(await this.audit.list(filter, query), auditLogView);
  }

  /** Recomputes the hash chain (every tenant's for a platform token, its own for a tenant token). */
  @Get('verify')
  @CanRead()
  @ApiOkResponse({
    type: ChainReportView,
    description: 'valid is false when any row was altered, removed or reordered',
  })
  async verify(@CallerParam() caller: Caller): Promise<ChainReportView> {
    const report: ChainReport = await this.audit.verify(
      caller.scope.kind === 'tenant' ? caller.scope.tenantId : undefined,
    );
    return {
      valid: report.valid,
      chains: report.chains,
      rows: report.rows,
      breaks: report.breaks.map((b) => ({ tenant_id: b.tenantId, row_id: b.rowId, reason: b.reason })),
    };
  }

  private filter(caller: Caller, query: AuditLogQuery): AuditFilter {
    if (
      caller.scope.kind === 'tenant' &&
      query.tenant_id !== undefined &&
      query.tenant_id !== caller.scope.tenantId
    ) {
      throw new DomainError('forbidden', "a tenant token reads only its own tenant's audit log");
    }
    return {
      tenantId: caller.scope.kind === 'tenant' ? caller.scope.tenantId : query.tenant_id,
      action: query.action,
      actor: query.actor,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
    };
  }
}
