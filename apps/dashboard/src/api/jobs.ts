/**
 * Background jobs (connection checks, data-key rotations) and the connection checker's report, as the
 * admin API returns them. The checker types mirror libs/checker/src/check.types.ts (plain JSON).
 */

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Job<P = unknown, R = unknown> {
  readonly id: string;
  readonly kind: string;
  readonly status: JobStatus;
  readonly progress: P | null;
  readonly result: R | null;
  readonly error: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
}

export function isFinished(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/** A job's error as one sentence, whatever shape the API gave it. */
export function jobErrorText(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && 'message' in error && typeof error.message === 'string')
    return error.message;
  return 'The job failed.';
}

export type StepGroup = 'transport' | 'discovery' | 'oauth' | 'legacy' | 'modern' | 'errors' | 'performance';
export type StepOutcome = 'pass' | 'warn' | 'fail' | 'skipped';
export type SkipKind = 'not-applicable' | 'blocked' | 'unverified';

export interface StepDefinition {
  readonly id: string;
  readonly title: string;
  readonly group: StepGroup;
}

export interface StepResult extends StepDefinition {
  readonly outcome: StepOutcome;
  readonly summary: string;
  readonly hint?: string;
  readonly details?: readonly string[];
  readonly data?: Readonly<Record<string, unknown>>;
  readonly skip?: SkipKind;
  readonly startedAt: string;
  readonly durationMs: number;
}

export interface CheckSummary {
  readonly passed: number;
  readonly warnings: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failedSteps: readonly string[];
  readonly warningSteps: readonly string[];
  readonly unverifiedSteps: readonly string[];
}

export interface CheckReport {
  readonly version: 1;
  readonly url: string;
  readonly authMode: 'oauth' | 'api-key' | 'none';
  readonly strategy: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly outcome: 'pass' | 'fail' | 'incomplete';
  readonly steps: readonly StepResult[];
  readonly summary: CheckSummary;
}

export interface CheckProgress {
  readonly steps: readonly StepDefinition[];
  readonly results: readonly StepResult[];
  readonly current?: string;
  readonly action?: { readonly kind: 'open-authorization-url'; readonly url: string };
}

export type CheckJob = Job<CheckProgress, CheckReport>;

export interface RotationProgress {
  readonly done: number;
  readonly total: number;
}

export type RotationJob = Job<RotationProgress, unknown>;

export interface Invitation {
  readonly id: string;
  readonly email: string;
  readonly role: 'owner' | 'admin' | 'member' | 'viewer';
  readonly expiresAt: string;
  readonly createdAt: string;
}

export interface InvitationLookup {
  readonly tenant: { readonly slug: string; readonly name: string };
  readonly email: string;
  readonly role: 'owner' | 'admin' | 'member' | 'viewer';
  readonly expiresAt: string;
  /** No account exists yet for the email: the person chooses a password. */
  readonly needsPassword: boolean;
  readonly accountExists?: boolean;
  /** The existing account has a password it can prove itself with. */
  readonly canSignInWithPassword?: boolean;
}

export interface IdentityProvider {
  readonly issuer: string;
  /** The "Continue with …" button. */
  readonly displayName?: string;
  /** Register this at the provider as the redirect URI. */
  readonly redirectUri?: string;
  readonly clientId: string;
  readonly domains: readonly string[];
  readonly jitRole: 'member' | 'viewer' | null;
  readonly clientSecretSet: boolean;
  readonly updatedAt: string;
}

export interface VaultStatus {
  /** null until the first secret is stored. */
  readonly keyVersion: number | null;
  readonly rotationInProgress?: boolean;
  readonly secrets: number;
  readonly secretsOnOldKeys: number;
  readonly kekId: string | null;
  readonly rotatedAt?: string | null;
}

export type RuleSubject =
  | { readonly type: 'user'; readonly userId: string; readonly email?: string | null }
  | { readonly type: 'role'; readonly role: 'owner' | 'admin' | 'member' | 'viewer' }
  | { readonly type: 'everyone' };

/** An allow/deny rule on top of roles, for an endpoint (or all) and a tool (or the whole endpoint). */
export interface AccessRule {
  readonly id: string;
  readonly endpoint: string | null;
  readonly tool: string | null;
  readonly subject: RuleSubject;
  readonly effect: 'allow' | 'deny';
  readonly createdAt: string;
}
