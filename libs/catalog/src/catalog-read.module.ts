import { Module } from '@nestjs/common';
import { CatalogService } from './catalog.service';

/** Data-plane side: the in-memory catalog snapshot the gateway routes with. */
@Module({ providers: [CatalogService], exports: [CatalogService] })
export class CatalogReadModule {}
