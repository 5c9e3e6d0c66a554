export { ClusterModule } from './cluster.module.js';
export { ClusterJobs, type ClusterJob, type JobState } from './cluster-jobs.js';
export { ClusterLeader, LEADER_CHECK_MS, LEADER_LOCK_KEY } from './cluster-leader.js';
