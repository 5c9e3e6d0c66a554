/**
 * The rate-limit policy form: each level (tenant, per caller, per tool, and single tools) either keeps
 * the plan's limit, sets its own, or lifts it (unlimited), as the API's overrides say it.
 */

export type Level = 'tenant' | 'principal' | 'tool';
export const LEVELS: readonly Level[] = ['tenant', 'principal', 'tool'];

export interface Rule {
  readonly points: number;
  readonly windowSeconds: number;
}

export interface LevelDraft {
  readonly mode: 'plan' | 'custom' | 'unlimited';
  readonly points: string;
  readonly windowSeconds: string;
}

export interface ToolDraft extends LevelDraft {
  readonly tool: string;
}

export const PLANS = ['free', 'team', 'enterprise', 'unlimited'] as const;
export type Plan = (typeof PLANS)[number];

export interface Overrides {
  tenant?: Rule | null;
  principal?: Rule | null;
  tool?: Rule | null;
  tools?: Record<string, Rule | null>;
}

export interface PolicyDraft {
  readonly plan: Plan;
  readonly levels: Record<Level, LevelDraft>;
  readonly tools: readonly ToolDraft[];
}

function isRule(v: unknown): v is Rule {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Rule).points === 'number' &&
    typeof (v as Rule).windowSeconds === 'number'
  );
}

function levelDraft(v: unknown): LevelDraft {
  if (v === null) return { mode: 'unlimited', points: '', windowSeconds: '60' };
  if (isRule(v)) return { mode: 'custom', points: String(v.points), windowSeconds: String(v.windowSeconds) };
  return { mode: 'plan', points: '', windowSeconds: '60' };
}

export function policyDraft(plan: Plan, overrides: Record<string, unknown>): PolicyDraft {
  const tools = typeof overrides.tools === 'object' && overrides.tools !== null ? overrides.tools : {};
  return {
    plan,
    levels: {
      tenant: levelDraft('tenant' in overrides ? overrides.tenant : undefined),
      principal: levelDraft('principal' in overrides ? overrides.principal : undefined),
      tool: levelDraft('tool' in overrides ? overrides.tool : undefined),
    },
    tools: Object.entries(tools as Record<string, unknown>).map(([tool, v]) => ({ tool, ...levelDraft(v) })),
  };
}

function rule(d: LevelDraft, where: string, errors: Record<string, string>): Rule | null | undefined {
  if (d.mode === 'plan') return undefined;
  if (d.mode === 'unlimited') return null;
  const points = Number(d.points);
  const windowSeconds = Number(d.windowSeconds);
  if (!Number.isInteger(points) || points < 1)
    errors[`${where}.points`] = 'Enter a whole number of at least 1.';
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > 86_400)
    errors[`${where}.windowSeconds`] = 'Between 1 second and 86400 (a day).';
  return { points, windowSeconds };
}

/** The PUT body, or the problems to show (keyed "tenant.points", "tools.2.windowSeconds", …). */
export function policyBody(draft: PolicyDraft): {
  body: { plan: Plan; overrides: Overrides };
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const overrides: Overrides = {};
  for (const level of LEVELS) {
    const r = rule(draft.levels[level], level, errors);
    if (r !== undefined) overrides[level] = r;
  }
  const tools: Record<string, Rule | null> = {};
  draft.tools.forEach((t, i) => {
    const name = t.tool.trim();
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(name))
      errors[`tools.${i}.tool`] = 'A tool name: letters, digits, _ . -';
    else if (name in tools) errors[`tools.${i}.tool`] = 'This tool is listed twice.';
    const r = rule(t.mode === 'plan' ? { ...t, mode: 'custom' } : t, `tools.${i}`, errors);
    if (r !== undefined) tools[name] = r;
  });
  if (draft.tools.length > 0) overrides.tools = tools;
  return { body: { plan: draft.plan, overrides }, errors };
}

/** "600 per minute", "unlimited". */
export function describeRule(r: Rule | null | undefined): string {
  if (r === null || r === undefined) return 'unlimited';
  const w = r.windowSeconds;
  const per =
    w === 1 ? 'second' : w === 60 ? 'minute' : w === 3600 ? 'hour' : w === 86_400 ? 'day' : `${w} seconds`;
  return `${r.points.toLocaleString()} per ${per}`;
}
