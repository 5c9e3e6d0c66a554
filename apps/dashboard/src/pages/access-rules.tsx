import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import type { RuleSubject } from '../api/jobs';
import { useToast } from '../components/toast';
import { Badge, ConfirmButton, EmptyState, ErrorNotice, Field, Panel, QueryStatus } from '../components/ui';
import { useTenantScope } from '../session';

const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
type Role = (typeof ROLES)[number];

type NewSubject = { type: 'everyone' } | { type: 'role'; role: Role } | { type: 'user'; userId: string };

/** The "Who" choice ("everyone", "role:member", "user:<id>") as the API's subject. */
function subjectOf(choice: string): NewSubject {
  const [kind, value = ''] = choice.split(':');
  if (kind === 'role') {
    const role = ROLES.find((r) => r === value);
    if (role) return { type: 'role', role };
  }
  if (kind === 'user' && value) return { type: 'user', userId: value };
  return { type: 'everyone' };
}

function who(s: RuleSubject): string {
  if (s.type === 'everyone') return 'everyone';
  if (s.type === 'role') return `${s.role}s`;
  return s.email ?? s.userId;
}

/**
 * Exceptions to roles on one endpoint: deny a tool to someone whose role allows it, or allow it to one
 * person whose role does not. Rules for every endpoint are listed too, as they apply here.
 */
export function AccessRules(props: { endpoint: string; tools: readonly string[] }) {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const toast = useToast();
  const key = ['tenant', tenant.slug, 'access-rules'];
  const rules = useQuery({
    queryKey: key,
    queryFn: () =>
      ok(api.GET('/api/v1/tenants/{tenant}/access-rules', { params: { path: { tenant: tenant.slug } } })),
  });
  const members = useQuery({
    queryKey: ['tenant', tenant.slug, 'members', ''],
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/members', {
          params: { path: { tenant: tenant.slug }, query: { limit: 200 } },
        }),
      ),
    enabled: tenant.canManage,
  });
  const [tool, setTool] = useState('');
  const [subject, setSubject] = useState('everyone');
  const [effect, setEffect] = useState<'allow' | 'deny'>('deny');
  const add = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/tenants/{tenant}/access-rules', {
          params: { path: { tenant: tenant.slug } },
          body: {
            endpoint: props.endpoint,
            tool: tool === '' ? null : tool,
            subject: subjectOf(subject),
            effect,
          },
        }),
      ),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: key });
      toast('Rule added: it applies at once');
    },
  });
  const here = (rules.data?.items ?? []).filter((r) => r.endpoint === null || r.endpoint === props.endpoint);
  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate();
  }
  return (
    <Panel title="Access rules">
      <p className="muted">Exceptions to roles on this endpoint. A deny wins over an allow.</p>
      <QueryStatus query={rules} />
      {rules.data && here.length === 0 ? <EmptyState>No rules: roles alone decide.</EmptyState> : null}
      {here.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Effect</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              {tenant.canManage ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {here.map((r) => (
              <tr key={r.id}>
                <td>
                  <Badge tone={r.effect === 'deny' ? 'bad' : 'ok'}>{r.effect}</Badge>
                </td>
                <td>{who(r.subject)}</td>
                <td>
                  {r.tool ? <code>{r.tool}</code> : 'the whole endpoint'}
                  {r.endpoint === null ? <span className="small muted"> (every endpoint)</span> : null}
                </td>
                {tenant.canManage ? (
                  <td>
                    <ConfirmButton
                      label="Remove"
                      accessibleLabel={`Remove the rule: ${r.effect} ${who(r.subject)} ${r.tool ?? 'the whole endpoint'}`}
                      title="Remove this rule?"
                      message={<p>Roles alone decide again for what it covered.</p>}
                      onConfirm={async () => {
                        await ok(
                          api.DELETE('/api/v1/tenants/{tenant}/access-rules/{ruleId}', {
                            params: { path: { tenant: tenant.slug, ruleId: r.id } },
                          }),
                        );
                        await queries.invalidateQueries({ queryKey: key });
                        toast('Rule removed');
                      }}
                    />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {tenant.canManage ? (
        <form className="inline-form" onSubmit={submit} aria-label="Add an access rule">
          <Field label="Effect">
            {(f) => (
              <select
                id={f.id}
                value={effect}
                onChange={(e) => setEffect(e.target.value as 'allow' | 'deny')}
              >
                <option value="deny">Deny</option>
                <option value="allow">Allow</option>
              </select>
            )}
          </Field>
          <Field label="Who">
            {(f) => (
              <select id={f.id} value={subject} onChange={(e) => setSubject(e.target.value)}>
                <option value="everyone">Everyone</option>
                {ROLES.map((r) => (
                  <option key={r} value={`role:${r}`}>
                    Every {r}
                  </option>
                ))}
                {(members.data?.items ?? []).map((m) => (
                  <option key={m.userId} value={`user:${m.userId}`}>
                    {m.email}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Tool">
            {(f) => (
              <select id={f.id} value={tool} onChange={(e) => setTool(e.target.value)}>
                <option value="">The whole endpoint</option>
                {props.tools.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" className="primary" disabled={add.isPending}>
            Add rule
          </button>
        </form>
      ) : null}
      <ErrorNotice error={add.error} />
    </Panel>
  );
}
