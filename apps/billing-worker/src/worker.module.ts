import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@switchyard/config';
import { DatabaseModule } from '@switchyard/database';
import { UsageRecordingModule } from '@switchyard/metering';
import { QUEUES, queuePrefix, workerConnection } from '@switchyard/queue';
import { HealthModule } from '@switchyard/observability';
import { RedisModule } from '@switchyard/redis';
import { UsageProcessor } from './processors/usage.processor';
import { StoredResponsesPurgeScheduler } from './schedulers/stored-responses-purge.scheduler';

/** BullMQ consumers (usage events -> rows and rollups) and housekeeping schedulers. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        BullModule.forRoot({ connection: workerConnection(config), prefix: queuePrefix(config) }),
        BullModule.registerQueue({ name: QUEUES.usage }),
        UsageRecordingModule,
        HealthModule,
      ],
      providers: [UsageProcessor, StoredResponsesPurgeScheduler],
    };
  }
}
