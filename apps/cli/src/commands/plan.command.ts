import type { Command } from 'commander';
import {
  PLAN_DEFAULTS,
  PLAN_NAMES,
  type RateLimitPolicyView,
  type RateRule,
} from '../../../../src/ratelimit/index.js';
import { RateLimitPolicyService } from '../../../../src/ratelimit/rate-limit-policy.service.js';
import { cliActor } from '../cli-actor.js';
import type { CliKit } from '../kit.js';

function rule(r: RateRule | null | undefined): string {
  return r ? `${r.points} per ${r.windowSeconds} s` : 'unlimited';
}

function describe(v: RateLimitPolicyView): string {
  const tools = Object.entries(v.limits.tools);
  return [
    `tenant ${v.tenant}: plan ${v.plan}${v.source === 'default' ? ' (default plan: no policy of its own)' : ''}`,
    `  requests per tenant:       ${rule(v.limits.tenant)}`,
    `  requests per principal:    ${rule(v.limits.principal)}`,
    `  calls per tool, principal: ${rule(v.limits.tool)}`,
    ...tools.map(([name, r]) => `    ${name}: ${rule(r)}`),
    ...(Object.keys(v.overrides).length > 0 ? [`  overrides: ${JSON.stringify(v.overrides)}`] : []),
    ...(v.updatedAt ? [`  updated ${v.updatedAt}`] : []),
  ].join('\n');
}

export function registerPlanCommands(program: Command, kit: CliKit): void {
  const plan = program.command('plan').description("rate-limit plans and tenants' policies");
  plan
    .command('list')
    .description('the plans and their default limits')
    .action((_o: unknown, cmd: Command) => {
      const rows = PLAN_NAMES.map((name) => ({
        plan: name,
        tenant: rule(PLAN_DEFAULTS[name].tenant),
        principal: rule(PLAN_DEFAULTS[name].principal),
        tool: rule(PLAN_DEFAULTS[name].tool),
      }));
      const out = kit.out(cmd);
      out.result(
        PLAN_NAMES.map((name) => ({ plan: name, ...PLAN_DEFAULTS[name] })),
        () => out.table(rows, ['plan', 'tenant', 'principal', 'tool']),
      );
    });
  plan
    .command('show')
    .description("a tenant's plan, overrides and the limits they add up to")
    .requiredOption('--tenant <slug>', 'tenant')
    .action((o: { tenant: string }, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const v = await ctx.get(RateLimitPolicyService).show(o.tenant);
        kit.out(cmd).result(v, () => describe(v));
      }),
    );
  plan
    .command('set')
    .description("set a tenant's plan and/or overrides (what is not given is kept)")
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--plan <plan>', PLAN_NAMES.join(' | '))
    .option(
      '--override <json>',
      'overrides replacing the current ones, e.g. \'{"principal":{"points":100,"windowSeconds":60},"tools":{"search":null}}\'; \'{}\' clears them',
    )
    .action((o: { tenant: string; plan?: string; override?: string }, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const v = await ctx.get(RateLimitPolicyService).set(
          o.tenant,
          {
            ...(o.plan !== undefined ? { plan: o.plan } : {}),
            ...(o.override !== undefined ? { overrides: kit.parseJson(o.override, '--override') } : {}),
          },
          cliActor(),
          'merge',
        );
        kit.out(cmd).result(v, () => describe(v));
      }),
    );
}
