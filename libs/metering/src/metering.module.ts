import { Module } from '@nestjs/common';
import { QueueModule } from '@switchyard/queue';
import { UsageMeter } from './usage-meter';

/** Gateway side: prices and emits usage events. */
@Module({ imports: [QueueModule], providers: [UsageMeter], exports: [UsageMeter] })
export class MeteringModule {}
