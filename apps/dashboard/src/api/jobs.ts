/**
 * Background jobs (connection checks, data-key rotations) and the other shapes the pages share, named
 * from the generated OpenAPI types, with guards telling a job's progress and result apart.
 */
import type { operations } from './admin-api';
import type { Schemas } from './client';

export type Job = Schemas['Job'];
export type JobStatus = Job['status'];
export type CheckProgress = Schemas['CheckProgress'];
export type CheckReport = Schemas['CheckReport'];
export type StepDefinition = Schemas['CheckStepDefinition'];
export type StepResult = Schemas['CheckStepResult'];
export type StepGroup = StepDefinition['group'];
export type RotationProgress = Schemas['VaultRotationProgress'];
export type Invitation = Schemas['Invitation'];
export type InvitationLookup =
  operations['lookUpInvitation']['responses'][200]['content']['application/json'];
export type IdentityProvider = Schemas['IdentityProvider'];
export type VaultStatus = Schemas['VaultStatus'];
export type AccessRule = Schemas['AccessRule'];
export type RuleSubject = AccessRule['subject'];

export function isFinished(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

export function checkProgress(job: Job): CheckProgress | null {
  return job.progress !== null && 'steps' in job.progress ? job.progress : null;
}

export function rotationProgress(job: Job): RotationProgress | null {
  return job.progress !== null && 'done' in job.progress ? job.progress : null;
}

/** The check's report: the result, or what an interrupted check had finished. */
export function checkReport(job: Job): CheckReport | null {
  const r = job.result;
  if (r === null) return null;
  if ('version' in r) return r;
  if ('interrupted' in r && r.partial && 'version' in r.partial) return r.partial;
  return null;
}

/** Why a job did not finish, in one sentence. */
export function jobErrorText(job: Job): string | null {
  if (job.error) return job.error;
  const r = job.result;
  if (r !== null && 'interrupted' in r) return `It was interrupted: ${r.reason}.`;
  return job.status === 'failed' ? 'The job failed.' : null;
}
