import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, ok, type Schemas } from '../api/client';
import { ApiError, fieldErrors } from '../api/errors';
import type { Invitation } from '../api/jobs';
import { useToast } from '../components/toast';
import {
  Badge,
  ConfirmButton,
  CopyField,
  EmptyState,
  ErrorNotice,
  Field,
  PageHeader,
  Panel,
  QueryStatus,
} from '../components/ui';
import { formatDateTime, formatRelative } from '../lib/format';
import { useSession, useTenantScope, type Role } from '../session';

type Member = Schemas['Member'];

const ROLES: readonly { role: Role; says: string }[] = [
  { role: 'owner', says: 'everything, including owners and deleting the tenant' },
  { role: 'admin', says: 'manages connections, endpoints, members and keys' },
  { role: 'member', says: 'uses the tools, tests connections, keeps own API keys' },
  { role: 'viewer', says: 'reads only' },
];

export function MembersPage() {
  const tenant = useTenantScope();
  return (
    <>
      <PageHeader
        title="Members"
        description="Who may use this tenant's tools and manage it. A role decides both."
      />
      {tenant.canManage ? <Invite /> : null}
      <MemberList />
      {tenant.canManage ? <Invitations /> : null}
      <Panel title="Roles">
        <ul>
          {ROLES.map((r) => (
            <li key={r.role}>
              <strong>{r.role}</strong>: {r.says}
            </li>
          ))}
        </ul>
      </Panel>
    </>
  );
}

function MemberList() {
  const tenant = useTenantScope();
  const [q, setQ] = useState('');
  const searchId = useId();
  const list = useQuery({
    queryKey: ['tenant', tenant.slug, 'members', q],
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/members', {
          params: {
            path: { tenant: tenant.slug },
            query: { limit: 200, ...(q.trim() ? { q: q.trim() } : {}) },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  return (
    <Panel title="People">
      <div className="field">
        <label htmlFor={searchId}>Find a member</label>
        <input
          id={searchId}
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="Email or name"
        />
      </div>
      <QueryStatus query={list} />
      {list.data && list.data.items.length === 0 ? <EmptyState>Nobody matches.</EmptyState> : null}
      {list.data && list.data.items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Role</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Member since</th>
                {tenant.canManage ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((m) => (
                <MemberRow key={m.userId} member={m} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Panel>
  );
}

function MemberRow(props: { member: Member }) {
  const tenant = useTenantScope();
  const session = useSession();
  const queries = useQueryClient();
  const toast = useToast();
  const m = props.member;
  const roleId = useId();
  const path = { tenant: tenant.slug, userId: m.userId };
  const change = useMutation({
    mutationFn: (role: Role) =>
      ok(api.PATCH('/api/v1/tenants/{tenant}/members/{userId}', { params: { path }, body: { role } })),
    onSuccess: async (updated) => {
      await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug, 'members'] });
      toast(`${updated.email} is now ${updated.role}`);
    },
  });
  const isMe = m.userId === session.user.id;
  // Only owners make or unmake owners; nobody demotes or removes themselves here by a slip.
  const editable = tenant.canManage && !isMe && (tenant.isOwner || m.role !== 'owner');
  return (
    <tr>
      <td>
        <strong>{m.name ?? m.email}</strong> {isMe ? <Badge tone="info">you</Badge> : null}
        {m.name ? <div className="small muted">{m.email}</div> : null}
        {!m.canSignInWithPassword ? (
          <div className="small muted">signs in through the company provider</div>
        ) : null}
      </td>
      <td>
        {editable ? (
          <>
            <label htmlFor={roleId} className="visually-hidden">
              Role of {m.email}
            </label>
            <select
              id={roleId}
              value={m.role}
              disabled={change.isPending}
              onChange={(e) => change.mutate(e.target.value as Role)}
            >
              {ROLES.filter((r) => tenant.isOwner || r.role !== 'owner').map((r) => (
                <option key={r.role} value={r.role}>
                  {r.role}
                </option>
              ))}
            </select>
            <ErrorNotice error={change.error} />
          </>
        ) : (
          <Badge>{m.role}</Badge>
        )}
      </td>
      <td>{formatRelative(m.lastSignInAt)}</td>
      <td>{formatDateTime(m.createdAt)}</td>
      {tenant.canManage ? (
        <td>
          {editable ? (
            <ConfirmButton
              label="Remove"
              accessibleLabel={`Remove ${m.email}`}
              title={`Remove ${m.email}?`}
              message={
                <p>Their API keys and the apps they connected (Claude included) stop working at once.</p>
              }
              onConfirm={async () => {
                await ok(api.DELETE('/api/v1/tenants/{tenant}/members/{userId}', { params: { path } }));
                await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug, 'members'] });
                toast(`${m.email} removed`);
              }}
            />
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

interface Created {
  readonly invitation: Invitation;
  readonly acceptUrl: string;
}

function Invite() {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [created, setCreated] = useState<Created | null>(null);
  const invite = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/tenants/{tenant}/invitations', {
          params: { path: { tenant: tenant.slug } },
          body: { email: email.trim(), role },
        }),
      ),
    onSuccess: async (answer) => {
      setCreated(answer);
      setEmail('');
      await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug, 'invitations'] });
    },
  });
  const errors = invite.error instanceof ApiError ? fieldErrors(invite.error.issues) : {};
  function submit(e: FormEvent) {
    e.preventDefault();
    setCreated(null);
    invite.mutate();
  }
  return (
    <Panel title="Invite someone">
      <form className="inline-form" onSubmit={submit}>
        <Field label="Email" required error={errors.email}>
          {(f) => (
            <input
              id={f.id}
              type="email"
              required
              aria-invalid={f.invalid}
              aria-describedby={f.describedBy}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              size={32}
            />
          )}
        </Field>
        <Field label="Role">
          {(f) => (
            <select id={f.id} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.filter((r) => tenant.isOwner || r.role !== 'owner').map((r) => (
                <option key={r.role} value={r.role}>
                  {r.role}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="primary" disabled={invite.isPending || email.trim() === ''}>
          {invite.isPending ? 'Creating…' : 'Create invitation'}
        </button>
      </form>
      <p />
      <ErrorNotice error={invite.error} />
      <div aria-live="polite">
        {created ? (
          <div className="notice warn">
            <strong>Send this link to {created.invitation.email}</strong>
            <p>
              Switchboard sends no email: share the link yourself, e.g. in a direct message. It is shown only
              now, works once, and expires {formatDateTime(created.invitation.expiresAt)}.
            </p>
            <CopyField value={created.acceptUrl} label="Invitation link" />
          </div>
        ) : null}
      </div>
    </Panel>
  );
}

function Invitations() {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const toast = useToast();
  const list = useQuery({
    queryKey: ['tenant', tenant.slug, 'invitations'],
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/invitations', {
          params: { path: { tenant: tenant.slug }, query: { limit: 200 } },
        }),
      ),
  });
  return (
    <Panel title="Pending invitations">
      <QueryStatus query={list} />
      {list.data && list.data.items.length === 0 ? <EmptyState>No invitation is waiting.</EmptyState> : null}
      {list.data && list.data.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Expires</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((i) => (
              <tr key={i.id}>
                <td>{i.email}</td>
                <td>
                  <Badge>{i.role}</Badge>
                </td>
                <td>{formatRelative(i.expiresAt)}</td>
                <td>
                  <ConfirmButton
                    label="Revoke"
                    accessibleLabel={`Revoke the invitation of ${i.email}`}
                    title={`Revoke the invitation of ${i.email}?`}
                    message={<p>The link stops working. You can invite them again later.</p>}
                    onConfirm={async () => {
                      await ok(
                        api.DELETE('/api/v1/tenants/{tenant}/invitations/{invitationId}', {
                          params: { path: { tenant: tenant.slug, invitationId: i.id } },
                        }),
                      );
                      await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug, 'invitations'] });
                      toast(`Invitation of ${i.email} revoked`);
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}
