import { Module } from '@nestjs/common';
import { UpstreamHttp } from './upstream-http';

@Module({ providers: [UpstreamHttp], exports: [UpstreamHttp] })
export class ProvidersModule {}
