import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok, type Schemas } from '../api/client';
import { humanize } from '../api/errors';
import { useToast } from '../components/toast';
import { Badge, ConfirmButton, ErrorNotice, Field, Panel } from '../components/ui';
import { formatDateTime } from '../lib/format';
import { useTenantScope } from '../session';

type Connection = Schemas['Connection'];
type Secret = Schemas['SecretStatus'];

/** A connection's secrets: status and version only. Values are write-only: set or rotate, never read. */
export function Secrets(props: { connection: Connection }) {
  const tenant = useTenantScope();
  const c = props.connection;
  return (
    <Panel title="Credentials">
      <p className="small muted">
        Values are write-only: once saved they are never shown again. To change one, set a new value (rotate).
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Secret</th>
              <th scope="col">Status</th>
              <th scope="col">Last set</th>
              {tenant.canManage ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {c.secrets.map((s) => (
              <SecretRow key={s.name} connection={c} secret={s} />
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function SecretRow(props: { connection: Connection; secret: Secret }) {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const toast = useToast();
  const s = props.secret;
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const path = { tenant: tenant.slug, connection: props.connection.id, name: s.name };
  const save = useMutation({
    mutationFn: () =>
      ok(
        api.PUT('/api/v1/tenants/{tenant}/connections/{connection}/secrets/{name}', {
          params: { path },
          body: { value },
        }),
      ),
    onSuccess: async (saved) => {
      setValue('');
      setEditing(false);
      await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug] });
      toast(`${humanize(s.name)} saved (version ${saved.version ?? 1})`);
    },
    onError: () => setValue(''),
  });
  const label = humanize(s.name);
  return (
    <tr>
      <td>
        <strong>{label}</strong> {s.required ? <span className="muted small">required</span> : null}
        {s.description ? <div className="small muted">{s.description}</div> : null}
      </td>
      <td>
        {s.set ? (
          <Badge tone="ok">set · version {s.version}</Badge>
        ) : (
          <Badge tone={s.required ? 'bad' : 'neutral'}>not set</Badge>
        )}
      </td>
      <td>{formatDateTime(s.updatedAt)}</td>
      {tenant.canManage ? (
        <td>
          {editing ? (
            <form
              className="inline-form"
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                if (value !== '') save.mutate();
              }}
            >
              <Field label={`New value for ${label}`}>
                {(f) => (
                  <input
                    id={f.id}
                    type="password"
                    autoComplete="new-password"
                    spellCheck={false}
                    autoFocus
                    value={value}
                    onChange={(e) => setValue(e.target.value)}
                  />
                )}
              </Field>
              <button type="submit" className="primary small" disabled={save.isPending || value === ''}>
                Save
              </button>
              <button
                type="button"
                className="small"
                onClick={() => {
                  setValue('');
                  setEditing(false);
                }}
              >
                Cancel
              </button>
              <ErrorNotice error={save.error} />
            </form>
          ) : (
            <div className="row">
              <button
                type="button"
                className="small"
                onClick={() => setEditing(true)}
                aria-label={`${s.set ? 'Rotate' : 'Set'} ${label}`}
              >
                {s.set ? 'Rotate' : 'Set'}
              </button>
              {s.set ? (
                <ConfirmButton
                  label="Delete"
                  accessibleLabel={`Delete ${label}`}
                  title={`Delete ${label}?`}
                  message={<p>Tools of this connection that need it fail until a new value is set.</p>}
                  onConfirm={async () => {
                    await ok(
                      api.DELETE('/api/v1/tenants/{tenant}/connections/{connection}/secrets/{name}', {
                        params: { path },
                      }),
                    );
                    await queries.invalidateQueries({ queryKey: ['tenant', tenant.slug] });
                    toast(`${label} deleted`);
                  }}
                />
              ) : null}
            </div>
          )}
        </td>
      ) : null}
    </tr>
  );
}
