import { Module } from '@nestjs/common';
import { JobRepository } from './job.repository.js';
import { JobsService } from './jobs.service.js';

/** Background jobs (table `Job`): the runner, its lease and the interrupted-job sweep. */
@Module({
  providers: [JobRepository, JobsService],
  exports: [JobsService],
})
export class JobsModule {}
