import { z } from 'zod';
import type { AdminAction } from '../../rbac/admin-permissions.js';
import { isoDate, uuid } from '../http/schemas.js';

/** The kinds of job the admin API starts, with what it takes to start one and to see one. */
export const JOB_KINDS = {
  check: { start: 'connection:test', read: 'connection:read' },
  'vault-rotation': { start: 'vault:rotate', read: 'vault:read' },
} as const satisfies Record<string, { readonly start: AdminAction; readonly read: AdminAction }>;

export type JobKind = keyof typeof JOB_KINDS;
export const JOB_KIND_NAMES = Object.keys(JOB_KINDS) as JobKind[];

export function isJobKind(kind: string): kind is JobKind {
  return Object.hasOwn(JOB_KINDS, kind);
}

export const jobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

// --- the connection check (libs/checker's types, as JSON) -------------------------------------------------

const stepId = z.string().meta({ description: 'A step of the checker, e.g. reachability, legacy.tools' });
const stepDefinition = z
  .object({
    id: stepId,
    title: z.string(),
    group: z.enum(['transport', 'discovery', 'oauth', 'legacy', 'modern', 'errors', 'performance']),
  })
  .meta({ id: 'CheckStepDefinition' });

const stepResult = stepDefinition
  .extend({
    outcome: z.enum(['pass', 'warn', 'fail', 'skipped']),
    summary: z.string(),
    hint: z.string().optional().meta({ description: 'What to change (on fail and warn)' }),
    details: z.array(z.string()).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    skip: z.enum(['not-applicable', 'blocked', 'unverified']).optional(),
    startedAt: isoDate,
    durationMs: z.number(),
  })
  .meta({ id: 'CheckStepResult' });

export const checkReport = z
  .object({
    version: z.literal(1),
    url: z.string(),
    authMode: z.enum(['oauth', 'api-key', 'none']),
    strategy: z.string().nullable(),
    startedAt: isoDate,
    finishedAt: isoDate,
    durationMs: z.number(),
    outcome: z.enum(['pass', 'fail', 'incomplete']),
    steps: z.array(stepResult),
    summary: z.object({
      passed: z.number().int(),
      warnings: z.number().int(),
      failed: z.number().int(),
      skipped: z.number().int(),
      failedSteps: z.array(stepId).meta({ description: 'In order: the first is usually the one to fix' }),
      warningSteps: z.array(stepId),
      unverifiedSteps: z.array(stepId),
    }),
  })
  .meta({ id: 'CheckReport' });

export const checkProgress = z
  .object({
    steps: z.array(stepDefinition).meta({ description: 'Every step, in order, before any has run' }),
    results: z.array(stepResult).meta({ description: 'Finished steps, in the order they finished' }),
    current: stepId.optional().meta({ description: 'The step running now' }),
    action: z
      .object({
        kind: z.literal('open-authorization-url'),
        url: z.string(),
        waitMs: z.number().int().optional(),
      })
      .optional()
      .meta({
        description:
          'Set while the check waits for someone to sign in at an external server: open url in a new tab; the server comes back to /api/v1/checks/callback',
      }),
  })
  .meta({ id: 'CheckProgress' });

// --- data-key rotation -----------------------------------------------------------------------------------

export const rotationProgress = z
  .object({
    done: z.number().int().meta({ description: 'Secrets re-encrypted under the new data key' }),
    total: z.number().int(),
  })
  .meta({ id: 'VaultRotationProgress' });

export const rotationResult = z
  .object({
    status: z.enum(['completed', 'paused']),
    resumed: z.boolean().meta({ description: 'Carried on an interrupted rotation' }),
    toVersion: z.number().int(),
    reencrypted: z.number().int().meta({ description: 'Secrets re-encrypted by this job' }),
    done: z.number().int(),
    total: z.number().int(),
    remaining: z.number().int(),
    retiredVersions: z.array(z.number().int()),
  })
  .meta({ id: 'VaultRotationResult' });

const interruptedResult = z
  .object({
    interrupted: z.literal(true),
    reason: z.string(),
    partial: z.union([checkReport, rotationResult]).optional(),
  })
  .meta({ id: 'InterruptedJobResult' });

export const jobView = z
  .object({
    id: uuid,
    kind: z.enum(JOB_KIND_NAMES as [JobKind, ...JobKind[]]),
    status: jobStatus,
    progress: z
      .union([checkProgress, rotationProgress])
      .nullable()
      .meta({ description: 'check: CheckProgress; vault-rotation: { done, total }' }),
    result: z.union([interruptedResult, checkReport, rotationResult]).nullable().meta({
      description:
        'check: the CheckReport (the job succeeds when the check ran; report.outcome says pass or fail); vault-rotation: the rotation report; a job cut short by a server stop: { interrupted: true, reason }',
    }),
    error: z.string().nullable(),
    createdBy: z.object({ type: z.string(), id: z.string() }),
    createdAt: isoDate,
    updatedAt: isoDate,
    finishedAt: isoDate.nullable(),
  })
  .meta({ id: 'Job' });

export type JobView = z.input<typeof jobView>;
