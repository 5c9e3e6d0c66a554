import { z } from 'zod';

export const PLAN_NAMES = ['free', 'team', 'enterprise', 'unlimited'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

/** `points` requests (or tool calls) per `windowSeconds`; a fixed window that starts at the first one. */
export interface RateRule {
  readonly points: number;
  readonly windowSeconds: number;
}

/**
 * The limits that apply to one tenant. `null` means unlimited at that level.
 * - `tenant`: every MCP request of the tenant, whoever sends it;
 * - `principal`: MCP requests of one user, API key or OAuth client (anonymous callers: per client address);
 * - `tool`: calls of one tool by one principal, unless `tools` names the tool.
 */
export interface EffectiveLimits {
  readonly plan: PlanName;
  readonly tenant: RateRule | null;
  readonly principal: RateRule | null;
  readonly tool: RateRule | null;
  readonly tools: Readonly<Record<string, RateRule | null>>;
}

const rule = (points: number, windowSeconds = 60): RateRule => ({ points, windowSeconds });

/**
 * Plan defaults. Sized for people and agents, not for bulk traffic: a busy agent makes a few requests a
 * second; a tenant's ceiling is about ten such agents (free) up to hundreds (enterprise).
 */
export const PLAN_DEFAULTS: Readonly<Record<PlanName, Omit<EffectiveLimits, 'plan'>>> = {
  free: { tenant: rule(600), principal: rule(120), tool: rule(60), tools: {} },
  team: { tenant: rule(6_000), principal: rule(600), tool: rule(300), tools: {} },
  enterprise: { tenant: rule(60_000), principal: rule(3_000), tool: rule(1_500), tools: {} },
  unlimited: { tenant: null, principal: null, tool: null, tools: {} },
};

/** Longest window: one day (the in-memory store's timers would allow more, Redis keys too, but nobody needs it). */
const MAX_WINDOW_SECONDS = 86_400;

const ruleSchema = z
  .object({
    points: z.number().int().min(1).max(1_000_000_000),
    windowSeconds: z.number().int().min(1).max(MAX_WINDOW_SECONDS),
  })
  .strict();

/** MCP tool names: 1–128 characters of letters, digits, `_`, `-` and `.`. */
const toolNameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'not a valid tool name');

/** A tenant's overrides of its plan. Omitted keys keep the plan's value; `null` lifts that limit. */
export const overridesSchema = z
  .object({
    tenant: ruleSchema.nullable().optional(),
    principal: ruleSchema.nullable().optional(),
    tool: ruleSchema.nullable().optional(),
    tools: z
      .record(toolNameSchema, ruleSchema.nullable())
      .refine((r) => Object.keys(r).length <= 500, 'at most 500 tool overrides')
      .optional(),
  })
  .strict();

export type RateLimitOverrides = z.infer<typeof overridesSchema>;

export const planSchema = z.enum(PLAN_NAMES);

/** The limits of a plan with a tenant's overrides applied. */
export function effectiveLimits(plan: PlanName, overrides: RateLimitOverrides): EffectiveLimits {
  const d = PLAN_DEFAULTS[plan];
  return {
    plan,
    tenant: overrides.tenant !== undefined ? overrides.tenant : d.tenant,
    principal: overrides.principal !== undefined ? overrides.principal : d.principal,
    tool: overrides.tool !== undefined ? overrides.tool : d.tool,
    tools: { ...d.tools, ...(overrides.tools ?? {}) },
  };
}

/** The rule for one tool: its own override when there is one, else the default tool rule. */
export function toolRule(limits: EffectiveLimits, toolName: string): RateRule | null {
  return Object.hasOwn(limits.tools, toolName) ? (limits.tools[toolName] ?? null) : limits.tool;
}
