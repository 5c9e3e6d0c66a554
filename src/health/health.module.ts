import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { Lifecycle } from './lifecycle.service.js';
import { HealthRepository } from './health.repository.js';

@Global()
@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [Lifecycle, HealthRepository],
  exports: [Lifecycle],
})
export class HealthModule {}
