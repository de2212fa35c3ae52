import { Controller, Get, Res, SetMetadata } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { ReadinessReport, ReadinessService } from './readiness.service';

/** Liveness (the process answers) and readiness (it can serve) for load balancers and compose. */
/** Metadata key of routes that need no credentials; admin's auth guard honours it. */
export const PUBLIC_ROUTE = 'switchyard:public';

@ApiExcludeController()
@SetMetadata(PUBLIC_ROUTE, true)
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessReport & { status: string }> {
    const report = await this.readiness.check();
    res.status(report.ready ? 200 : 503);
    return { status: report.ready ? 'ok' : 'unavailable', ...report };
  }
}
