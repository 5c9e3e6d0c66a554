import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { AuditRetentionService } from '../../../../src/audit/audit-retention.service.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../../../src/audit/audit-export.js';
import { AuditService } from '../../../../src/audit/audit.service.js';
import { DomainError } from '../../../../src/common/domain-error.js';
import { cliActor } from '../cli-actor.js';
import type { CliKit } from '../kit.js';

interface FilterOptions {
  kind?: string;
  action?: string;
  actorType?: string;
  actor?: string;
  outcome?: string;
  from?: string;
  to?: string;
  tool?: string;
}

function withFilterOptions(cmd: Command): Command {
  return cmd
    .option('--kind <list>', 'comma-separated: tool_call, auth, token, denial, admin')
    .option('--action <action>', 'exact action, or a prefix ending with * (e.g. "signin.*")')
    .option('--actor-type <type>', 'user, api_key, oauth_client, anonymous, system, cli')
    .option('--actor <id>', 'actor id (API key id, user id, OS user…)')
    .option('--outcome <outcome>', 'success, failure, denied, error')
    .option('--from <iso>', 'at or after this time (ISO 8601)')
    .option('--to <iso>', 'before this time (ISO 8601)')
    .option('--tool <name>', 'calls and denials of this tool');
}

function filterInput(o: FilterOptions): Record<string, string> {
  const input: Record<string, string | undefined> = {
    kind: o.kind,
    action: o.action,
    actorType: o.actorType,
    actorId: o.actor,
    outcome: o.outcome,
    from: o.from,
    to: o.to,
    tool: o.tool,
  };
  return Object.fromEntries(Object.entries(input).filter((e): e is [string, string] => e[1] !== undefined));
}

function onOff(value: string, flag: string): boolean {
  if (value === 'on' || value === 'true') return true;
  if (value === 'off' || value === 'false') return false;
  throw new DomainError('invalid_argument', `${flag} must be on or off`);
}

export function registerAuditCommands(program: Command, kit: CliKit): void {
  const audit = program.command('audit').description('the tamper-evident audit log');

  withFilterOptions(
    audit
      .command('list')
      .description("a tenant's audit events, newest first")
      .requiredOption('--tenant <slug>', 'tenant')
      .option('--limit <n>', 'at most this many', '50')
      .option('--cursor <cursor>', 'continue from a previous page'),
  ).action((o: FilterOptions & { tenant: string; limit: string; cursor?: string }, cmd: Command) =>
    kit.withContext(async (ctx) => {
      const svc = ctx.get(AuditService);
      const page = await svc.list(o.tenant, svc.parseFilter(filterInput(o)), {
        limit: kit.positiveInt(o.limit, '--limit'),
        cursor: o.cursor,
      });
      const out = kit.out(cmd);
      const rows = page.events.map((e) => ({
        seq: e.seq,
        at: e.at,
        kind: e.kind,
        actor: `${e.actor.type}:${e.actor.id ?? '-'}`,
        action: e.action,
        target: e.target,
        outcome: e.outcome,
      }));
      out.result(page, () => {
        const table = out.table(rows, ['seq', 'at', 'kind', 'actor', 'action', 'target', 'outcome']);
        return page.nextCursor ? `${table}\nmore: --cursor ${page.nextCursor}` : table;
      });
    }),
  );

  withFilterOptions(
    audit
      .command('export')
      .description("stream a tenant's audit log, oldest first, as JSON Lines or CSV")
      .requiredOption('--tenant <slug>', 'tenant')
      .option('--format <format>', 'jsonl or csv', 'jsonl')
      .option('--out <file>', 'write to this file (created with mode 0600) instead of standard output'),
  ).action((o: FilterOptions & { tenant: string; format: string; out?: string }) =>
    kit.withContext(async (ctx) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(o.format)) {
        throw new DomainError('invalid_argument', `--format must be one of ${EXPORT_FORMATS.join(', ')}`);
      }
      const format = o.format as ExportFormat;
      const svc = ctx.get(AuditService);
      const filter = svc.parseFilter(filterInput(o));
      const tenant = await svc.tenantFor(o.tenant);
      await svc.recordExport(tenant, cliActor(), format, filter);
      const source = Readable.from(svc.export(tenant, format, filter));
      if (o.out) {
        await pipeline(source, createWriteStream(o.out, { mode: 0o600 }));
      } else {
        // Standard output stays open for the process; only this export's stream ends.
        const stdout = new Writable({
          write: (chunk: Buffer, _enc, done) => {
            if (process.stdout.write(chunk)) done();
            else process.stdout.once('drain', () => done());
          },
        });
        await pipeline(source, stdout);
      }
    }),
  );

  audit
    .command('verify')
    .description("check a tenant's hash chain; exits non-zero and names the first broken link")
    .requiredOption('--tenant <slug>', 'tenant')
    .action((o: { tenant: string }, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const report = await ctx.get(AuditService).verify(o.tenant);
        if (report.break) {
          throw new DomainError(
            'failed_precondition',
            `the audit chain of tenant "${o.tenant}" is broken at seq ${report.break.seq}: ${report.break.message}`,
            { ...report },
          );
        }
        const from = report.startsAt
          ? `checkpoint at seq ${report.startsAt.checkpointSeq}`
          : 'the first event';
        kit
          .out(cmd)
          .result(report, () =>
            report.checked === 0
              ? `audit chain of ${o.tenant}: intact (no events${report.startsAt ? ` after ${from}` : ''})`
              : `audit chain of ${o.tenant}: intact, ${report.checked} event(s) from ${from} to seq ${report.lastSeq}`,
          );
      }),
    );

  audit
    .command('settings')
    .description("show or change a tenant's audit settings")
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--raw-arguments <on|off>', 'record tool-call arguments (secrets redacted) besides their digest')
    .option(
      '--retention-days <n|default>',
      'keep events this many days (0 = forever, default = platform default)',
    )
    .action((o: { tenant: string; rawArguments?: string; retentionDays?: string }, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const svc = ctx.get(AuditService);
        const patch: { recordRawArguments?: boolean; retentionDays?: number | null } = {};
        if (o.rawArguments !== undefined) patch.recordRawArguments = onOff(o.rawArguments, '--raw-arguments');
        if (o.retentionDays !== undefined) {
          patch.retentionDays =
            o.retentionDays === 'default'
              ? null
              : o.retentionDays === '0'
                ? 0
                : kit.positiveInt(o.retentionDays, '--retention-days');
        }
        const view =
          Object.keys(patch).length > 0
            ? await svc.updateSettings(o.tenant, patch, cliActor())
            : await svc.getSettings(o.tenant);
        kit
          .out(cmd)
          .result(
            view,
            () =>
              `raw arguments: ${view.recordRawArguments ? 'on' : 'off'}\nretention: ${
                view.retentionDays === 0 ? 'forever' : `${view.retentionDays} days`
              }${view.retentionIsDefault ? ' (platform default)' : ''}`,
          );
      }),
    );

  audit
    .command('prune')
    .description('apply retention now (the server also does it hourly), leaving signed checkpoints')
    .option('--tenant <slug>', 'only this tenant')
    .action((o: { tenant?: string }, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const only = o.tenant ? [(await ctx.get(AuditService).tenantFor(o.tenant)).id] : undefined;
        const runs = await ctx.get(AuditRetentionService).runAll(new Date(), only);
        const out = kit.out(cmd);
        out.result(runs, () =>
          out.table(
            runs.map((r) => ({ ...r })),
            ['tenantId', 'pruned', 'checkpointSeq', 'skipped'],
          ),
        );
      }),
    );
}
