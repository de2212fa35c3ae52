import { Module } from '@nestjs/common';
import { DeploymentHealth } from './deployment-health';

@Module({ providers: [DeploymentHealth], exports: [DeploymentHealth] })
export class RoutingModule {}
