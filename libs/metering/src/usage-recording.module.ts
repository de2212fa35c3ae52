import { Module } from '@nestjs/common';
import { UsageRecorder } from './usage-recorder';

/** Worker side: records usage events in Postgres. */
@Module({ providers: [UsageRecorder], exports: [UsageRecorder] })
export class UsageRecordingModule {}
