import { Module } from '@nestjs/common';
import { UsageEventPublisher } from './usage-event.publisher';

/** The producer side of the queues, for the gateway. */
@Module({ providers: [UsageEventPublisher], exports: [UsageEventPublisher] })
export class QueueModule {}
