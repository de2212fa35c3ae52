import { Module } from '@nestjs/common';
import { UsageQueryService } from './usage-query.service';
import { UsageRecorder } from './usage-recorder';

/** Worker and admin side: records usage events in Postgres and reads them back. */
@Module({ providers: [UsageRecorder, UsageQueryService], exports: [UsageRecorder, UsageQueryService] })
export class UsageRecordingModule {}
