import { Global, Module } from '@nestjs/common';

import { ClusterJobs } from './cluster-jobs.js';
import { ClusterLeader } from './cluster-leader.js';

/**
 * Coordination between the nodes of one installation: the leader (PostgreSQL advisory lock) and the
 * periodic jobs only it runs. Global and server-only: services take `ClusterJobs` as optional, so the CLI
 * (which runs such work on demand) loads without it.
 */
@Global()
@Module({
  providers: [ClusterLeader, ClusterJobs],
  exports: [ClusterLeader, ClusterJobs],
})
export class ClusterModule {}
