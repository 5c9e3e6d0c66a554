import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { z } from 'zod';
import { DomainError, InvalidArgumentError } from '../common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { isPrismaKnownError } from '../database/prisma-errors.js';
import { eventHash, type AuditOutcome, type ChainFields } from './audit-chain.js';
import { toAuditObject, type JsonObject } from './audit-json.js';
import {
  AuditRecorder,
  type AuditActorType,
  type AuditEventInput,
  type AuditKind,
} from './audit.contract.js';
import { AuditRepository, type ChainedEventRow } from './audit.repository.js';

export const AUDIT_KINDS = [
  'tool_call',
  'auth',
  'token',
  'denial',
  'admin',
] as const satisfies readonly AuditKind[];
export const AUDIT_ACTOR_TYPES = [
  'user',
  'api_key',
  'oauth_client',
  'anonymous',
  'system',
  'cli',
] as const satisfies readonly AuditActorType[];
export const AUDIT_OUTCOMES = [
  'success',
  'failure',
  'denied',
  'error',
] as const satisfies readonly AuditOutcome[];

const inputSchema = z.object({
  tenantId: z.uuid(),
  kind: z.enum(AUDIT_KINDS),
  action: z.string().regex(/^[A-Za-z][\w.:/-]{0,99}$/, 'words joined by dots, up to 100 characters'),
  actor: z.object({ type: z.enum(AUDIT_ACTOR_TYPES), id: z.string().max(512).nullable() }),
  target: z.string().max(1024).nullish(),
  outcome: z.enum(AUDIT_OUTCOMES),
});

/** How appends are grouped into transactions. */
export interface AuditWriterOptions {
  /** Most events one transaction carries. 1 = one transaction per event (no group commit). */
  readonly maxBatch: number;
  /** Transactions in flight at once in this process, across tenants (one per tenant at a time). */
  readonly maxConcurrentFlushes: number;
}

export const AUDIT_WRITER_OPTIONS = Symbol('AUDIT_WRITER_OPTIONS');

/** Upper bounds (ms) of the write-latency histogram buckets; the last bucket is +Inf. */
export const WRITE_LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500] as const;

/** Counters for telemetry. Latency runs from `record()` to the commit that made the event durable. */
export interface AuditStats {
  readonly eventsWritten: number;
  readonly transactions: number;
  readonly writeFailures: number;
  /** Events waiting for or inside an uncommitted transaction. */
  readonly pending: number;
  readonly writeLatencyMs: {
    readonly count: number;
    readonly sum: number;
    readonly max: number;
    /** Cumulative counts per upper bound, Prometheus-style (`le`), ending with +Inf. */
    readonly buckets: readonly { readonly le: number; readonly count: number }[];
  };
}

interface Pending {
  readonly fields: Omit<ChainFields, 'seq' | 'prevHash'>;
  readonly enqueuedAt: number;
  resolve(): void;
  reject(e: unknown): void;
}

interface Lane {
  readonly tenantId: string;
  queue: Pending[];
  running: boolean;
}

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 3;

/**
 * The `AuditRecorder`: validates and normalises an event, then appends it with group commit. Each tenant
 * has a queue; while one transaction of a tenant is in flight, later events of that tenant wait and go
 * together in the next one. A caller's promise resolves only after the transaction holding its event
 * committed (the event is durable: PostgreSQL fsyncs the WAL at commit with the default
 * synchronous_commit), and rejects if it failed. Nothing is acknowledged from memory. See the audit section
 * of DESIGN.md for why and for the measurements.
 */
@Injectable()
export class AuditWriter extends AuditRecorder implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly lanes = new Map<string, Lane>();
  private readonly waiting: Lane[] = [];
  private active = 0;
  private idle: (() => void)[] = [];
  private readonly counters = {
    eventsWritten: 0,
    transactions: 0,
    writeFailures: 0,
    pending: 0,
    latencyCount: 0,
    latencySum: 0,
    latencyMax: 0,
    buckets: new Array<number>(WRITE_LATENCY_BUCKETS_MS.length + 1).fill(0),
  };

  constructor(
    private readonly repo: AuditRepository,
    @Inject(AUDIT_WRITER_OPTIONS) private readonly options: AuditWriterOptions,
  ) {
    super();
  }

  record(event: AuditEventInput): Promise<void> {
    let fields: Pending['fields'];
    try {
      fields = this.prepare(event);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<void>((resolve, reject) => {
      let lane = this.lanes.get(fields.tenantId);
      if (!lane) {
        lane = { tenantId: fields.tenantId, queue: [], running: false };
        this.lanes.set(fields.tenantId, lane);
      }
      lane.queue.push({ fields, enqueuedAt: performance.now(), resolve, reject });
      this.counters.pending++;
      this.schedule(lane);
    });
  }

  stats(): AuditStats {
    const c = this.counters;
    let cumulative = 0;
    const buckets = c.buckets.map((n, i) => {
      cumulative += n;
      return { le: WRITE_LATENCY_BUCKETS_MS[i] ?? Number.POSITIVE_INFINITY, count: cumulative };
    });
    return {
      eventsWritten: c.eventsWritten,
      transactions: c.transactions,
      writeFailures: c.writeFailures,
      pending: c.pending,
      writeLatencyMs: { count: c.latencyCount, sum: c.latencySum, max: c.latencyMax, buckets },
    };
  }

  /** Resolves once every event recorded so far is committed or failed. */
  drain(): Promise<void> {
    if (this.counters.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.drain();
  }

  /** Again at the very end: requests still being answered during shutdown may have recorded more. */
  onApplicationShutdown(): Promise<void> {
    return this.drain();
  }

  private prepare(event: AuditEventInput): Pending['fields'] {
    const parsed = inputSchema.safeParse(event);
    if (!parsed.success) {
      throw new InvalidArgumentError('invalid audit event', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    const e = parsed.data;
    const data: JsonObject = toAuditObject(event.data ?? {}, { redact: true });
    return {
      tenantId: e.tenantId,
      at: new Date(),
      kind: e.kind,
      actorType: e.actor.type,
      // Empty strings become null so exports (CSV has no null) read back exactly.
      actorId: e.actor.id || null,
      action: e.action,
      target: e.target || null,
      outcome: e.outcome,
      data,
    };
  }

  private schedule(lane: Lane): void {
    if (lane.running || lane.queue.length === 0) return;
    if (this.active >= this.options.maxConcurrentFlushes) {
      if (!this.waiting.includes(lane)) this.waiting.push(lane);
      return;
    }
    lane.running = true;
    this.active++;
    // Yield one turn of the event loop before writing. On PGlite the whole transaction runs as a chain of
    // microtasks on this thread, so without the yield no other request could reach record() while it runs
    // and every batch would hold one event (measured: 1 event per transaction, ~220 calls/s). The yield
    // lets requests already waiting on sockets join the batch; it adds well under a millisecond.
    setImmediate(() => void this.flush(lane));
  }

  private async flush(lane: Lane): Promise<void> {
    const batch = lane.queue.splice(0, this.options.maxBatch);
    try {
      await this.append(lane.tenantId, batch);
      const now = performance.now();
      this.counters.eventsWritten += batch.length;
      this.counters.transactions++;
      for (const p of batch) {
        this.observeLatency(now - p.enqueuedAt);
        p.resolve();
      }
    } catch (e) {
      this.counters.writeFailures += batch.length;
      this.logger.error(
        `could not write ${batch.length} audit event(s) of tenant ${lane.tenantId}: ${(e as Error).message}`,
      );
      const err = new DomainError('unavailable', 'the audit log could not be written');
      for (const p of batch) p.reject(err);
    } finally {
      this.counters.pending -= batch.length;
      lane.running = false;
      this.active--;
      if (lane.queue.length === 0) this.lanes.delete(lane.tenantId);
      this.schedule(lane);
      while (this.active < this.options.maxConcurrentFlushes && this.waiting.length > 0) {
        this.schedule(this.waiting.shift()!);
      }
      if (this.counters.pending === 0) for (const done of this.idle.splice(0)) done();
    }
  }

  private async append(tenantId: string, batch: readonly Pending[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.repo.appendChained({ tenantId }, (head) => {
          let prev = head.hash;
          let seq = head.seq;
          return batch.map((p): ChainedEventRow => {
            seq += 1n;
            const fields: ChainFields = { ...p.fields, seq, prevHash: prev };
            const hash = eventHash(fields);
            prev = hash;
            return {
              seq,
              prevHash: fields.prevHash,
              hash,
              at: fields.at,
              kind: fields.kind,
              actorType: fields.actorType,
              actorId: fields.actorId,
              action: fields.action,
              target: fields.target,
              outcome: fields.outcome,
              data: fields.data,
            };
          });
        });
        return;
      } catch (e) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) throw e;
      }
    }
  }

  private observeLatency(ms: number): void {
    const c = this.counters;
    c.latencyCount++;
    c.latencySum += ms;
    if (ms > c.latencyMax) c.latencyMax = ms;
    let i = WRITE_LATENCY_BUCKETS_MS.findIndex((le) => ms <= le);
    if (i < 0) i = WRITE_LATENCY_BUCKETS_MS.length;
    c.buckets[i] = (c.buckets[i] ?? 0) + 1;
  }
}

/** Deadlocks and serialization failures are safe to retry: the transaction changed nothing. */
function isRetryable(e: unknown): boolean {
  if (isPrismaKnownError(e) && e.code === 'P2034') return true;
  const code =
    (e as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (e as { code?: unknown }).code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}

/** Default options for a database: PGlite has one connection, PostgreSQL shares its pool with requests. */
export function defaultWriterOptions(config: AppConfig): AuditWriterOptions {
  return {
    maxBatch: 256,
    maxConcurrentFlushes:
      config.database.kind === 'pglite' ? 1 : Math.max(1, Math.floor(config.database.poolSize / 2)),
  };
}

export const AUDIT_WRITER_OPTIONS_PROVIDER = {
  provide: AUDIT_WRITER_OPTIONS,
  inject: [APP_CONFIG],
  useFactory: defaultWriterOptions,
};
