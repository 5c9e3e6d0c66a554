import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, ok, type Schemas } from '../api/client';
import { Badge, EmptyState, ErrorNotice, Field, Loading, Panel } from '../components/ui';
import { useToast } from '../components/toast';
import { useTenantScope } from '../session';

type Group = Schemas['CatalogueGroup'];
type Tool = Schemas['CatalogueTool'];
type Filter = 'all' | 'read-only' | 'destructive' | 'enabled';

/**
 * An endpoint's tools, grouped by connection: search, filter by annotation, expose a connection, turn
 * tools on and off, and override the title and description Claude sees.
 */
export function ToolPicker(props: { endpoint: string }) {
  const tenant = useTenantScope();
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const searchId = useId();
  const filterId = useId();
  const key = ['tenant', tenant.slug, 'endpoint', props.endpoint, 'tools'];
  const catalogue = useQuery({
    queryKey: key,
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/endpoints/{endpoint}/tools', {
          params: { path: { tenant: tenant.slug, endpoint: props.endpoint } },
        }),
      ),
  });
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (catalogue.data?.groups ?? []).map((g) => ({
      group: g,
      tools: g.tools.filter(
        (t) =>
          (q === '' || `${t.name} ${t.title} ${t.description}`.toLowerCase().includes(q)) &&
          (filter === 'all' ||
            (filter === 'read-only' && t.readOnly) ||
            (filter === 'destructive' && t.destructive) ||
            (filter === 'enabled' && t.enabled)),
      ),
    }));
  }, [catalogue.data, query, filter]);
  const shown = groups.reduce((n, g) => n + g.tools.length, 0);
  const enabled = (catalogue.data?.groups ?? []).reduce(
    (n, g) => n + g.tools.filter((t) => t.enabled).length,
    0,
  );

  return (
    <Panel title="Tools">
      <p className="muted">
        Choose which tools Claude sees on this endpoint. Each member still only gets the tools their role
        allows.
      </p>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={searchId}>Search tools</label>
          <input
            id={searchId}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="Name or description"
          />
        </div>
        <div className="field">
          <label htmlFor={filterId}>Show</label>
          <select id={filterId} value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            <option value="all">All tools</option>
            <option value="enabled">Turned on</option>
            <option value="read-only">Read-only</option>
            <option value="destructive">Destructive</option>
          </select>
        </div>
        <p className="small muted" aria-live="polite">
          {catalogue.data ? `${shown} shown · ${enabled} turned on` : ''}
        </p>
      </div>
      <p />
      {catalogue.isPending ? <Loading label="Loading the tool catalogue…" /> : null}
      <ErrorNotice error={catalogue.error} onRetry={() => void catalogue.refetch()} />
      {catalogue.data && catalogue.data.groups.length === 0 ? (
        <EmptyState>
          No connections yet. <Link to={`/t/${tenant.slug}/connections`}>Add an integration</Link> to get
          tools.
        </EmptyState>
      ) : null}
      {groups.map(({ group, tools }) => (
        <ToolGroup
          key={group.connectionId}
          endpoint={props.endpoint}
          group={group}
          tools={tools}
          queryKey={key}
        />
      ))}
    </Panel>
  );
}

function ToolGroup(props: { endpoint: string; group: Group; tools: Tool[]; queryKey: unknown[] }) {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const toast = useToast();
  const g = props.group;
  const modeId = useId();
  const path = { tenant: tenant.slug, endpoint: props.endpoint, connection: g.connectionId };
  const refresh = () => queries.invalidateQueries({ queryKey: ['tenant', tenant.slug] });
  const attach = useMutation({
    mutationFn: (mode: 'all' | 'selected') =>
      ok(
        api.PUT('/api/v1/tenants/{tenant}/endpoints/{endpoint}/connections/{connection}', {
          params: { path },
          body: { mode },
        }),
      ),
    onSuccess: async () => {
      await refresh();
      toast(`${g.connectionName} is exposed on this endpoint`);
    },
  });
  const detach = useMutation({
    mutationFn: () =>
      ok(
        api.DELETE('/api/v1/tenants/{tenant}/endpoints/{endpoint}/connections/{connection}', {
          params: { path },
        }),
      ),
    onSuccess: async () => {
      await refresh();
      toast(`${g.connectionName} is no longer exposed on this endpoint`);
    },
  });
  return (
    <section className="tool-group" aria-label={`Tools of ${g.connectionName}`}>
      <div className="tool-group-header">
        <h3>{g.connectionName}</h3>
        <span className="small muted">{g.packTitle ?? g.packId}</span>
        {!g.connectionEnabled ? <Badge tone="warn">connection disabled</Badge> : null}
        {g.attached ? <Badge tone="ok">exposed</Badge> : <Badge>not exposed</Badge>}
        <span className="spacer" />
        {tenant.canManage && g.attached ? (
          <>
            <label htmlFor={modeId} className="visually-hidden">
              Which tools of {g.connectionName}
            </label>
            <select
              id={modeId}
              value={g.mode ?? 'all'}
              disabled={attach.isPending}
              onChange={(e) => attach.mutate(e.target.value as 'all' | 'selected')}
            >
              <option value="all">All tools, except those turned off</option>
              <option value="selected">Only the tools turned on</option>
            </select>
            <button
              type="button"
              className="small"
              disabled={detach.isPending}
              onClick={() => detach.mutate()}
            >
              Stop exposing
            </button>
          </>
        ) : null}
        {tenant.canManage && !g.attached ? (
          <button
            type="button"
            className="small primary"
            disabled={attach.isPending}
            onClick={() => attach.mutate('selected')}
          >
            Expose on this endpoint
          </button>
        ) : null}
      </div>
      <ErrorNotice error={attach.error ?? detach.error} />
      {g.error ? (
        <div className="notice warn">
          <strong>Its tools could not be listed</strong>
          {g.error}
        </div>
      ) : null}
      {props.tools.length === 0 && !g.error ? (
        <p className="muted tool">
          {g.tools.length === 0 ? 'This integration offers no tools.' : 'No tools match.'}
        </p>
      ) : null}
      {props.tools.map((t) => (
        <ToolRow key={t.name} endpoint={props.endpoint} group={g} tool={t} queryKey={props.queryKey} />
      ))}
    </section>
  );
}

function ToolRow(props: { endpoint: string; group: Group; tool: Tool; queryKey: unknown[] }) {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  // What the person just chose, shown at once while the server confirms it.
  const [chosen, setChosen] = useState<boolean | null>(null);
  const t = props.tool;
  const checkboxId = useId();
  const update = useMutation({
    mutationFn: (body: { enabled?: boolean; title?: string | null; description?: string | null }) =>
      ok(
        api.PATCH('/api/v1/tenants/{tenant}/endpoints/{endpoint}/tools/{connection}/{tool}', {
          params: {
            path: {
              tenant: tenant.slug,
              endpoint: props.endpoint,
              connection: props.group.connectionId,
              tool: t.name,
            },
          },
          body,
        }),
      ),
    onSettled: () => setChosen(null),
    onSuccess: async (tool, body) => {
      await queries.invalidateQueries({ queryKey: props.queryKey });
      if (body.enabled !== undefined) toast(`${tool.title} turned ${tool.enabled ? 'on' : 'off'}`);
      else toast(`${tool.name} updated`);
      setEditing(false);
    },
  });
  const canToggle = tenant.canManage && props.group.attached;
  return (
    <div className="tool">
      <input
        id={checkboxId}
        type="checkbox"
        checked={chosen ?? t.enabled}
        disabled={!canToggle || update.isPending}
        onChange={(e) => {
          setChosen(e.target.checked);
          update.mutate({ enabled: e.target.checked });
        }}
        aria-describedby={`${checkboxId}-desc`}
      />
      <div>
        <label htmlFor={checkboxId} className="name">
          {t.title} {t.title !== t.name ? <span className="mono muted small">{t.name}</span> : null}
        </label>
        <div className="desc" id={`${checkboxId}-desc`}>
          {t.description}
        </div>
        <div className="row small">
          {t.readOnly ? <Badge tone="ok">read-only</Badge> : null}
          {t.destructive ? <Badge tone="bad">destructive</Badge> : null}
          {!t.readOnly && !t.destructive ? <Badge tone="warn">changes data</Badge> : null}
          <Badge title="The role a member needs to call it">needs {t.permission}</Badge>
          {t.titleOverride !== null || t.descriptionOverride !== null ? (
            <Badge tone="info">customised</Badge>
          ) : null}
        </div>
        <ErrorNotice error={update.error} />
        {editing ? (
          <OverrideForm
            tool={t}
            busy={update.isPending}
            onSave={(b) => update.mutate(b)}
            onCancel={() => setEditing(false)}
          />
        ) : null}
      </div>
      <div>
        {tenant.canManage && !editing ? (
          <button
            type="button"
            className="small"
            onClick={() => setEditing(true)}
            aria-label={`Edit how ${t.name} is shown`}
          >
            Edit
          </button>
        ) : null}
      </div>
    </div>
  );
}

function OverrideForm(props: {
  tool: Tool;
  busy: boolean;
  onSave: (body: { title: string | null; description: string | null }) => void;
  onCancel: () => void;
}) {
  const t = props.tool;
  const [title, setTitle] = useState(t.titleOverride ?? t.defaultTitle);
  const [description, setDescription] = useState(t.descriptionOverride ?? t.defaultDescription);
  const override = (value: string, fallback: string) =>
    value.trim() === '' || value === fallback ? null : value.trim();
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave({
          title: override(title, t.defaultTitle),
          description: override(description, t.defaultDescription),
        });
      }}
    >
      <p />
      <Field label="Title Claude sees" hint={`Default: ${t.defaultTitle}`}>
        {(f) => (
          <input
            id={f.id}
            type="text"
            aria-describedby={f.describedBy}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        )}
      </Field>
      <Field label="Description Claude sees" hint="Claude reads it to decide when to use the tool.">
        {(f) => (
          <textarea
            id={f.id}
            aria-describedby={f.describedBy}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <div className="row">
        <button type="submit" className="primary small" disabled={props.busy}>
          Save
        </button>
        <button
          type="button"
          className="small"
          disabled={props.busy}
          onClick={() => props.onSave({ title: null, description: null })}
        >
          Restore defaults
        </button>
        <button type="button" className="small" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
