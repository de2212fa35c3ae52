import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DomainError } from '@switchyard/common';
import { Caller } from '@switchyard/audit';
import { UsageEventEntity } from '@switchyard/database';
import { UsageFilter, UsageQueryService } from '@switchyard/metering';
import { CanRead } from '../auth/access';
import { CallerParam } from '../auth/caller.decorator';
import { exportFormat, streamExport } from '../common/export';
import { ListView, listView, ApiList } from '../common/page.dto';
import {
  REQUEST_COLUMNS,
  RequestLogQuery,
  requestLogRow,
  requestLogView,
  RequestLogView,
} from './request.dto';

@ApiTags('request log')
@ApiBearerAuth()
@Controller('requests')
export class RequestsController {
  constructor(private readonly usage: UsageQueryService) {}

  /** Every metered request, newest first; `format=csv|jsonl` (or Accept) streams them all. */
  @Get()
  @CanRead()
  @ApiProduces('application/json', 'text/csv', 'application/x-ndjson')
  @ApiList(RequestLogView)
  async list(
    @CallerParam() caller: Caller,
    @Query() query: RequestLogQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ListView<RequestLogView> | undefined> {
    if (
      caller.scope.kind === 'tenant' &&
      query.tenant_id !== undefined &&
      query.tenant_id !== caller.scope.tenantId
    ) {
      throw new DomainError('forbidden', "a tenant token reads only its own tenant's requests");
    }
    const filter: UsageFilter = {
      tenantId: query.tenant_id,
      keyId: query.key_id,
      model: query.model,
      providerId: query.provider_id,
      status: query.status,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
    };
    const format = exportFormat(req, query.format);
    if (format) {
      const rows = (async function* (batches: AsyncGenerator<UsageEventEntity[]>) {
        for await (const batch of batches) yield batch.map(requestLogRow);
      })(this.usage.export(caller.scope, filter));
      await streamExport(res, format, 'requests', REQUEST_COLUMNS, rows);
      return undefined;
    }
    return listView(await this.usage.list(caller.scope, filter, query), requestLogView);
  }
}
