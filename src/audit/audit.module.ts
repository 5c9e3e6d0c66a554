import { Global, Module } from '@nestjs/common';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { AUDIT_RETENTION_INTERVAL_MS, AuditRetentionService } from './audit-retention.service.js';
import { AuditSettingsService } from './audit-settings.service.js';
import { AUDIT_WRITER_OPTIONS_PROVIDER, AuditWriter } from './audit-writer.service.js';
import { AuditRecorder } from './audit.contract.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { CheckpointSigner } from './checkpoint-signer.service.js';
import { ToolCallAuditInterceptor } from './tool-call-audit.interceptor.js';

const HOUR_MS = 3_600_000;

/**
 * The audit log: the `AuditRecorder`, reading, verification, retention and the tool-call interceptor.
 * Global so every module can inject `AuditRecorder` without importing this one (tenancy records through
 * it while this module imports tenancy to resolve slugs). In the CLI the interceptor finds no MCP host.
 * The REST API is part of the admin API (`src/admin`), server only.
 */
@Global()
@Module({
  imports: [TenancyModule],
  providers: [
    AuditRepository,
    AUDIT_WRITER_OPTIONS_PROVIDER,
    AuditWriter,
    { provide: AuditRecorder, useExisting: AuditWriter },
    AuditSettingsService,
    CheckpointSigner,
    AuditService,
    { provide: AUDIT_RETENTION_INTERVAL_MS, useValue: HOUR_MS },
    AuditRetentionService,
    ToolCallAuditInterceptor,
  ],
  exports: [AuditRecorder, AuditWriter, AuditService, AuditRetentionService, CheckpointSigner],
})
export class AuditModule {}
