import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import { useToast } from '../components/toast';
import { Badge, ErrorNotice, Field, Panel, QueryStatus } from '../components/ui';
import {
  describeRule,
  LEVELS,
  PLANS,
  policyBody,
  policyDraft,
  type Level,
  type LevelDraft,
  type Overrides,
  type Plan,
  type PolicyDraft,
} from '../lib/rate-limit';
import { useTenantScope } from '../session';

const LEVEL_LABEL: Record<Level, string> = {
  tenant: 'Whole tenant (all callers together)',
  principal: 'Each caller (a person, key or app)',
  tool: 'Each tool, per caller',
};

export function RateLimitPanel() {
  const tenant = useTenantScope();
  const key = ['tenant', tenant.slug, 'rate-limit-policy'];
  const policy = useQuery({
    queryKey: key,
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/rate-limit-policy', { params: { path: { tenant: tenant.slug } } }),
      ),
  });
  return (
    <Panel title="Rate limits">
      <QueryStatus query={policy} />
      {policy.data ? (
        <>
          <p>
            Plan <Badge tone="info">{policy.data.plan}</Badge>{' '}
            {policy.data.source === 'default' ? (
              <span className="muted small">(the platform default)</span>
            ) : null}
          </p>
          <table className="facts">
            <caption className="visually-hidden">Limits in force</caption>
            <thead>
              <tr>
                <th scope="col">Level</th>
                <th scope="col">In force</th>
              </tr>
            </thead>
            <tbody>
              {LEVELS.map((l) => (
                <tr key={l}>
                  <td>{LEVEL_LABEL[l]}</td>
                  <td>{describeRule(policy.data.limits[l])}</td>
                </tr>
              ))}
              {Object.entries(policy.data.limits.tools).map(([tool, r]) => (
                <tr key={tool}>
                  <td>
                    Tool <code>{tool}</code>
                  </td>
                  <td>{describeRule(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {tenant.canManage ? (
            <PolicyForm
              key={policy.data.updatedAt ?? 'default'}
              initial={policyDraft(policy.data.plan, policy.data.overrides)}
              queryKey={key}
            />
          ) : null}
        </>
      ) : null}
    </Panel>
  );
}

function PolicyForm(props: { initial: PolicyDraft; queryKey: unknown[] }) {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const toast = useToast();
  const [draft, setDraft] = useState(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (body: { plan: Plan; overrides: Overrides }) =>
      ok(
        api.PUT('/api/v1/tenants/{tenant}/rate-limit-policy', {
          params: { path: { tenant: tenant.slug } },
          body,
        }),
      ),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: props.queryKey });
      toast('Rate limits saved: they apply at once');
    },
  });
  const setLevel = (l: Level, d: LevelDraft) => setDraft((x) => ({ ...x, levels: { ...x.levels, [l]: d } }));
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const built = policyBody(draft);
        setErrors(built.errors);
        if (Object.keys(built.errors).length === 0) save.mutate(built.body);
      }}
    >
      <h3>Change</h3>
      <ErrorNotice error={save.error} />
      <Field label="Plan">
        {(f) => (
          <select
            id={f.id}
            value={draft.plan}
            onChange={(e) => setDraft((x) => ({ ...x, plan: e.target.value as Plan }))}
          >
            {PLANS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        )}
      </Field>
      {LEVELS.map((l) => (
        <LevelEditor
          key={l}
          label={LEVEL_LABEL[l]}
          prefix={l}
          value={draft.levels[l]}
          errors={errors}
          onChange={(d) => setLevel(l, d)}
        />
      ))}
      <fieldset>
        <legend>Single tools</legend>
        {draft.tools.map((t, i) => (
          <div key={i} className="inline-form">
            <Field label="Tool name" error={errors[`tools.${i}.tool`]}>
              {(f) => (
                <input
                  id={f.id}
                  type="text"
                  aria-invalid={f.invalid}
                  value={t.tool}
                  onChange={(e) =>
                    setDraft((x) => ({
                      ...x,
                      tools: x.tools.map((y, j) => (j === i ? { ...y, tool: e.target.value } : y)),
                    }))
                  }
                />
              )}
            </Field>
            <LevelEditor
              label={`Limit of ${t.tool || 'this tool'}`}
              prefix={`tools.${i}`}
              value={t}
              errors={errors}
              noPlan
              onChange={(d) =>
                setDraft((x) => ({ ...x, tools: x.tools.map((y, j) => (j === i ? { ...y, ...d } : y)) }))
              }
            />
            <button
              type="button"
              className="small"
              onClick={() => setDraft((x) => ({ ...x, tools: x.tools.filter((_, j) => j !== i) }))}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="small"
          onClick={() =>
            setDraft((x) => ({
              ...x,
              tools: [...x.tools, { tool: '', mode: 'custom', points: '10', windowSeconds: '60' }],
            }))
          }
        >
          Add a tool limit
        </button>
        <p />
      </fieldset>
      <button type="submit" className="primary" disabled={save.isPending}>
        Save rate limits
      </button>
    </form>
  );
}

function LevelEditor(props: {
  label: string;
  prefix: string;
  value: LevelDraft;
  errors: Record<string, string>;
  onChange: (d: LevelDraft) => void;
  noPlan?: boolean;
}) {
  const v = props.value;
  return (
    <div className="inline-form">
      <Field label={props.label}>
        {(f) => (
          <select
            id={f.id}
            value={v.mode}
            onChange={(e) => props.onChange({ ...v, mode: e.target.value as LevelDraft['mode'] })}
          >
            {props.noPlan ? null : <option value="plan">As the plan says</option>}
            <option value="custom">Custom limit</option>
            <option value="unlimited">Unlimited</option>
          </select>
        )}
      </Field>
      {v.mode === 'custom' ? (
        <>
          <Field label="Calls" error={props.errors[`${props.prefix}.points`]}>
            {(f) => (
              <input
                id={f.id}
                type="number"
                min={1}
                aria-invalid={f.invalid}
                value={v.points}
                onChange={(e) => props.onChange({ ...v, points: e.target.value })}
              />
            )}
          </Field>
          <Field label="Per seconds" error={props.errors[`${props.prefix}.windowSeconds`]}>
            {(f) => (
              <input
                id={f.id}
                type="number"
                min={1}
                max={86400}
                aria-invalid={f.invalid}
                value={v.windowSeconds}
                onChange={(e) => props.onChange({ ...v, windowSeconds: e.target.value })}
              />
            )}
          </Field>
        </>
      ) : null}
    </div>
  );
}
