import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { ApiError, fieldErrors } from '../api/errors';
import { useToast } from '../components/toast';
import { ErrorNotice, Field, Loading, PageHeader, Panel } from '../components/ui';
import { useSessionApi, useTenantScope } from '../session';
import { IdentityProviderPanel } from './settings-idp';
import { RateLimitPanel } from './settings-rate-limit';
import { VaultPanel } from './settings-vault';

export function SettingsPage() {
  const tenant = useTenantScope();
  return (
    <>
      <PageHeader
        title="Settings"
        description={`How ${tenant.name} runs: limits, sign-in, audit and keys.`}
      />
      <TenantNamePanel />
      <RateLimitPanel />
      <IdentityProviderPanel />
      <AuditSettingsPanel />
      <VaultPanel />
    </>
  );
}

function TenantNamePanel() {
  const tenant = useTenantScope();
  const { refresh } = useSessionApi();
  const toast = useToast();
  const [name, setName] = useState(tenant.name);
  const save = useMutation({
    mutationFn: () =>
      ok(
        api.PATCH('/api/v1/tenants/{tenant}', {
          params: { path: { tenant: tenant.slug } },
          body: { name: name.trim() },
        }),
      ),
    onSuccess: async () => {
      await refresh();
      toast('Tenant renamed');
    },
  });
  const errors = save.error instanceof ApiError ? fieldErrors(save.error.issues) : {};
  return (
    <Panel title="Tenant">
      <form
        className="inline-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field label="Name" error={errors.name}>
          {(f) => (
            <input
              id={f.id}
              type="text"
              size={32}
              disabled={!tenant.canManage}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <div className="field">
          <span className="label">Slug</span>
          <code>{tenant.slug}</code>
        </div>
        {tenant.canManage ? (
          <button
            type="submit"
            className="primary"
            disabled={save.isPending || name.trim() === '' || name === tenant.name}
          >
            Rename
          </button>
        ) : null}
      </form>
      <ErrorNotice error={save.error} />
    </Panel>
  );
}

function AuditSettingsPanel() {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const toast = useToast();
  const key = ['tenant', tenant.slug, 'audit-settings'];
  const settings = useQuery({
    queryKey: key,
    queryFn: () =>
      ok(api.GET('/api/v1/tenants/{tenant}/audit/settings', { params: { path: { tenant: tenant.slug } } })),
  });
  const [retention, setRetention] = useState<string | null>(null);
  const [raw, setRaw] = useState<boolean | null>(null);
  const save = useMutation({
    mutationFn: (body: { retentionDays?: number | null; recordRawArguments?: boolean }) =>
      ok(
        api.PUT('/api/v1/tenants/{tenant}/audit/settings', {
          params: { path: { tenant: tenant.slug } },
          body,
        }),
      ),
    onSuccess: async () => {
      setRetention(null);
      setRaw(null);
      await queries.invalidateQueries({ queryKey: key });
      toast('Audit settings saved');
    },
  });
  const s = settings.data;
  const retentionValue = retention ?? (s ? (s.retentionIsDefault ? '' : String(s.retentionDays)) : '');
  const rawValue = raw ?? s?.recordRawArguments ?? false;
  return (
    <Panel title="Audit log">
      {settings.isPending ? <Loading /> : null}
      <ErrorNotice error={settings.error ?? save.error} />
      {s ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({
              retentionDays: retentionValue.trim() === '' ? null : Number(retentionValue),
              recordRawArguments: rawValue,
            });
          }}
        >
          <Field
            label="Keep events for (days)"
            hint={`Empty: the platform default${s.retentionIsDefault ? ` (now ${s.retentionDays === 0 ? 'forever' : `${s.retentionDays} days`})` : ''}. 0 keeps them forever.`}
          >
            {(f) => (
              <input
                id={f.id}
                type="number"
                min={0}
                max={36500}
                aria-describedby={f.describedBy}
                disabled={!tenant.canManage}
                value={retentionValue}
                onChange={(e) => setRetention(e.target.value)}
              />
            )}
          </Field>
          <label className="checkbox">
            <input
              type="checkbox"
              disabled={!tenant.canManage}
              checked={rawValue}
              onChange={(e) => setRaw(e.target.checked)}
            />
            Record the raw arguments of tool calls (otherwise only their shape is kept)
          </label>
          <p />
          {tenant.canManage ? (
            <button type="submit" className="primary" disabled={save.isPending}>
              Save audit settings
            </button>
          ) : null}
        </form>
      ) : null}
    </Panel>
  );
}
