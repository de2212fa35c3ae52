import { Module } from '@nestjs/common';
import { ImageFetcher } from './image-fetcher';
import { UpstreamHttp } from './upstream-http';

@Module({ providers: [UpstreamHttp, ImageFetcher], exports: [UpstreamHttp, ImageFetcher] })
export class ProvidersModule {}
