import type { BatchObservableCallback, Meter, Observable } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import { Inject, Injectable, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';

// Value imports on purpose: Nest reads the constructor's parameter types at run time (decorator metadata).
import { AuditWriter } from '../audit/audit-writer.service.js';
import { McpHostService } from '../mcp/mcp-host.service.js';
import { RateLimitService } from '../ratelimit/rate-limit.service.js';
import { VaultMetrics } from '../vault/vault-metrics.js';
import type { TelemetryRuntime } from './otel.js';
import { histogramMetric } from './produced-metrics.js';
import { TELEMETRY_RUNTIME } from './telemetry.tokens.js';

/**
 * Numbers other modules keep (legacy sessions, vault operations, audit writes, rate-limit decisions),
 * read at collection time (a scrape or an OTLP push) so the request path pays nothing for them and
 * nothing is counted twice. Each source is optional: telemetry runs without the module that keeps it.
 */
@Injectable()
export class PlatformMetrics implements OnModuleInit, OnApplicationShutdown {
  private readonly meter: Meter;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    @Inject(TELEMETRY_RUNTIME) private readonly runtime: TelemetryRuntime,
    @Optional() private readonly host?: McpHostService,
    @Optional() private readonly vault?: VaultMetrics,
    @Optional() private readonly audit?: AuditWriter,
    @Optional() private readonly rateLimits?: RateLimitService,
  ) {
    this.meter = runtime.meter('switchboard.platform');
  }

  onModuleInit(): void {
    if (this.host) this.observeHost(this.host);
    if (this.vault) this.observeVault(this.vault);
    if (this.audit) this.observeAudit(this.audit);
    if (this.rateLimits) this.observeRateLimits(this.rateLimits);
  }

  onApplicationShutdown(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  private observeHost(host: McpHostService): void {
    const sessions = this.meter.createObservableGauge('switchboard.mcp.legacy_sessions', {
      description: 'Open legacy (2025-era) MCP sessions on this process',
    });
    const endpoints = this.meter.createObservableGauge('switchboard.mcp.endpoints', {
      description: 'Endpoints this process has built a server surface for',
    });
    const idle = this.meter.createObservableGauge('switchboard.mcp.idle_servers', {
      description: 'Pooled idle MCP servers ready for stateless requests',
    });
    this.observe([sessions, endpoints, idle], (result) => {
      const s = host.stats();
      result.observe(sessions, s.legacySessions);
      result.observe(endpoints, s.endpoints);
      result.observe(idle, s.idleServers);
    });
  }

  private observeVault(vault: VaultMetrics): void {
    const operations = this.meter.createObservableCounter('switchboard.vault.operations', {
      description: 'Vault cryptographic operations since start, by operation',
    });
    const failures = this.meter.createObservableCounter('switchboard.vault.decrypt_failures', {
      description: 'Ciphertexts that failed authentication (tampering, a row moved elsewhere, a wrong key)',
    });
    const cache = this.meter.createObservableCounter('switchboard.vault.key_cache.lookups', {
      description: 'Data-key cache lookups, by result',
    });
    const rotation = this.meter.createObservableCounter('switchboard.vault.rotation.items', {
      description: 'Items processed by key rotation, by kind',
    });
    this.observe([operations, failures, cache, rotation], (result) => {
      const s = vault.snapshot();
      for (const op of ['encrypt', 'decrypt', 'wrap', 'unwrap'] as const) {
        result.observe(operations, s[op], { operation: op });
      }
      result.observe(failures, s.decryptFailures);
      result.observe(cache, s.keyCacheHits, { result: 'hit' });
      result.observe(cache, s.keyCacheMisses, { result: 'miss' });
      result.observe(rotation, s.rotatedSecrets, { kind: 'secret_reencrypted' });
      result.observe(rotation, s.rewrappedKeys, { kind: 'data_key_rewrapped' });
      result.observe(rotation, s.retiredKeys, { kind: 'data_key_retired' });
    });
  }

  private observeAudit(audit: AuditWriter): void {
    const events = this.meter.createObservableCounter('switchboard.audit.events_written', {
      description: 'Audit events committed since start',
    });
    const transactions = this.meter.createObservableCounter('switchboard.audit.transactions', {
      description: 'Audit write transactions committed since start (one may hold a batch of events)',
    });
    const failures = this.meter.createObservableCounter('switchboard.audit.write_failures', {
      description: 'Audit events whose write failed (the action they describe was not acknowledged)',
    });
    const pending = this.meter.createObservableGauge('switchboard.audit.pending', {
      description: 'Audit events waiting for or inside an uncommitted transaction',
    });
    this.observe([events, transactions, failures, pending], (result) => {
      const s = audit.stats();
      result.observe(events, s.eventsWritten);
      result.observe(transactions, s.transactions);
      result.observe(failures, s.writeFailures);
      result.observe(pending, s.pending);
    });
    // The writer keeps its latency histogram itself; it is exported as one, not re-recorded.
    const since = hrTime();
    this.cleanups.push(
      this.runtime.produced.add(() => [
        histogramMetric(
          'switchboard.audit.write.duration',
          'Time from recording an audit event to the commit that made it durable',
          's',
          audit.stats().writeLatencyMs,
          1 / 1000,
          since,
        ),
      ]),
    );
  }

  private observeRateLimits(rateLimits: RateLimitService): void {
    const hits = this.meter.createObservableCounter('switchboard.ratelimit.limit_hits', {
      description: 'Refusals by the limit that was exhausted (tenant, principal, tool)',
    });
    const insurance = this.meter.createObservableCounter('switchboard.ratelimit.insurance_decisions', {
      description: 'Rate-limit decisions made in process because Redis was unreachable',
    });
    const login = this.meter.createObservableCounter('switchboard.login.throttle', {
      description: 'Sign-in attempts refused and counters that reached their block threshold',
    });
    this.observe([hits, insurance, login], (result) => {
      const s = rateLimits.stats();
      for (const [scope, n] of Object.entries(s.rejections)) result.observe(hits, n, { limit: scope });
      result.observe(insurance, s.insuranceDecisions, { store: s.store });
      result.observe(login, s.login.refusals, { event: 'refused' });
      result.observe(login, s.login.blocks, { event: 'blocked' });
    });
  }

  private observe(observables: Observable[], callback: BatchObservableCallback): void {
    this.meter.addBatchObservableCallback(callback, observables);
    this.cleanups.push(() => this.meter.removeBatchObservableCallback(callback, observables));
  }
}
