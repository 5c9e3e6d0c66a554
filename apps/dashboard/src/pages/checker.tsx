import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { ApiError, fieldErrors } from '../api/errors';
import {
  isFinished,
  jobErrorText,
  type Job,
  checkProgress,
  checkReport,
  type CheckReport,
  type StepDefinition,
  type StepGroup,
  type StepResult,
} from '../api/jobs';
import { Badge, ErrorNotice, Field, PageHeader, Panel, type Tone } from '../components/ui';
import { formatMs } from '../lib/format';
import { cancelJob, useJob } from '../lib/use-job';
import { useTenantScope } from '../session';

const GROUPS: Record<StepGroup, string> = {
  transport: 'Reaching the server',
  discovery: 'Discovery',
  oauth: 'Sign-in (OAuth)',
  legacy: 'Protocol, 2025 era',
  modern: 'Protocol, 2026-07-28',
  errors: 'Error handling',
  performance: 'Performance',
};

const OUTCOME: Record<StepResult['outcome'], { label: string; tone: Tone }> = {
  pass: { label: 'pass', tone: 'ok' },
  warn: { label: 'warning', tone: 'warn' },
  fail: { label: 'fail', tone: 'bad' },
  skipped: { label: 'skipped', tone: 'neutral' },
};

const REPORT: Record<CheckReport['outcome'], { label: string; tone: 'ok' | 'bad' | 'warn'; says: string }> = {
  pass: { label: 'Passed', tone: 'ok', says: 'Claude can connect to this URL.' },
  fail: {
    label: 'Failed',
    tone: 'bad',
    says: 'Claude cannot connect yet: fix the first failed step and run the check again.',
  },
  incomplete: {
    label: 'Incomplete',
    tone: 'warn',
    says: 'Nothing failed, but some steps could not be verified.',
  },
};

export function CheckerPage() {
  const tenant = useTenantScope();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(tenant.slug, jobId, 700);
  // A new check: bring its step list into view (the form stays above it).
  const shown = job.data !== undefined;
  useEffect(() => {
    if (jobId && shown) document.getElementById('check-progress')?.scrollIntoView({ block: 'start' });
  }, [jobId, shown]);
  return (
    <>
      <PageHeader
        title="Connection checker"
        description="Replays what Claude does when someone adds an MCP URL — discovery, sign-in, both protocol eras, error handling — and says which step fails and what to change."
      />
      <RunForm
        running={job.data ? !isFinished(job.data.status) : jobId !== null}
        onStarted={setJobId}
        jobId={jobId}
      />
      <ErrorNotice error={job.error} />
      {job.data ? <CheckView job={job.data} /> : null}
    </>
  );
}

function RunForm(props: { running: boolean; jobId: string | null; onStarted: (id: string) => void }) {
  const tenant = useTenantScope();
  const [target, setTarget] = useState<'endpoint' | 'url'>('endpoint');
  const [endpoint, setEndpoint] = useState('default');
  const [url, setUrl] = useState('');
  const [burst, setBurst] = useState('20');
  const radioName = useId();
  const endpoints = useQuery({
    queryKey: ['tenant', tenant.slug, 'endpoints'],
    queryFn: () =>
      ok(
        api.GET('/api/v1/tenants/{tenant}/endpoints', {
          params: { path: { tenant: tenant.slug }, query: { limit: 200 } },
        }),
      ),
  });
  const start = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/tenants/{tenant}/checks', {
          params: { path: { tenant: tenant.slug } },
          body: { ...(target === 'endpoint' ? { endpoint } : { url: url.trim() }), burst: Number(burst) },
        }),
      ),
    onSuccess: (answer) => props.onStarted(answer.job.id),
  });
  const cancel = useMutation({ mutationFn: () => cancelJob(tenant.slug, props.jobId!) });
  const errors = start.error instanceof ApiError ? fieldErrors(start.error.issues) : {};
  function submit(e: FormEvent) {
    e.preventDefault();
    start.mutate();
  }
  return (
    <Panel title="Run a check">
      <form onSubmit={submit}>
        <ErrorNotice error={start.error ?? cancel.error} />
        <fieldset>
          <legend>What to check</legend>
          <label className="checkbox">
            <input
              type="radio"
              name={radioName}
              checked={target === 'endpoint'}
              onChange={() => setTarget('endpoint')}
            />
            One of this tenant&apos;s endpoints
          </label>
          {target === 'endpoint' ? (
            <Field label="Endpoint" error={errors.endpoint}>
              {(f) => (
                <select id={f.id} value={endpoint} onChange={(e) => setEndpoint(e.target.value)}>
                  {(endpoints.data?.items ?? []).map((e) => (
                    <option key={e.slug} value={e.slug}>
                      {e.name} — {e.mcpUrl}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <label className="checkbox">
            <input
              type="radio"
              name={radioName}
              checked={target === 'url'}
              onChange={() => setTarget('url')}
            />
            Another MCP URL (any server)
          </label>
          {target === 'url' ? (
            <Field
              label="MCP URL"
              required
              hint="You will be asked to sign in to it in a new tab."
              error={errors.url}
            >
              {(f) => (
                <input
                  id={f.id}
                  type="url"
                  required
                  placeholder="https://mcp.example.com/mcp"
                  aria-describedby={f.describedBy}
                  aria-invalid={f.invalid}
                  value={url}
                  onChange={(e) => setUrl(e.target.value)}
                />
              )}
            </Field>
          ) : null}
          <p />
        </fieldset>
        <Field label="Latency burst (requests)" hint="0 skips the latency step." error={errors.burst}>
          {(f) => (
            <input
              id={f.id}
              className="narrow"
              type="number"
              min={0}
              max={200}
              aria-describedby={f.describedBy}
              value={burst}
              onChange={(e) => setBurst(e.target.value)}
            />
          )}
        </Field>
        <div className="row">
          <button
            type="submit"
            className="primary"
            disabled={props.running || start.isPending || tenant.role === 'viewer'}
          >
            {props.running ? 'Checking…' : 'Run check'}
          </button>
          {props.running && props.jobId ? (
            <button type="button" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
              Cancel
            </button>
          ) : null}
        </div>
      </form>
    </Panel>
  );
}

function CheckView(props: { job: Job }) {
  const j = props.job;
  const report = checkReport(j);
  const progress = checkProgress(j);
  const steps = useMemo<readonly StepDefinition[]>(
    () => report?.steps ?? progress?.steps ?? [],
    [report, progress],
  );
  const results = useMemo(() => {
    const m = new Map<string, StepResult>();
    for (const r of report?.steps ?? progress?.results ?? []) m.set(r.id, r);
    return m;
  }, [report, progress]);
  const finished = isFinished(j.status);
  const done = results.size;
  const announce = announcement(j, report);
  const groups = useMemo(() => {
    const out: { group: StepGroup; steps: StepDefinition[] }[] = [];
    for (const s of steps) {
      const last = out[out.length - 1];
      if (last && last.group === s.group) last.steps.push(s);
      else out.push({ group: s.group, steps: [s] });
    }
    return out;
  }, [steps]);

  return (
    <Panel title={report ? `Report for ${report.url}` : 'Progress'} id="check-progress">
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
      {report ? (
        <div className={`notice ${REPORT[report.outcome].tone}`} role="status">
          <strong>
            {REPORT[report.outcome].label}: {report.summary.passed} passed, {report.summary.warnings}{' '}
            warnings, {report.summary.failed} failed, {report.summary.skipped} skipped (
            {formatMs(report.durationMs)})
          </strong>
          {REPORT[report.outcome].says}
        </div>
      ) : null}
      {j.status === 'failed' ? (
        <div className="notice bad" role="alert">
          <strong>The check could not run</strong>
          {jobErrorText(j)}
        </div>
      ) : null}
      {j.status === 'cancelled' ? <div className="notice warn">The check was cancelled.</div> : null}
      {!finished ? (
        <div className="stack tight">
          <progress max={Math.max(1, steps.length)} value={done} aria-label="Check progress" />
          <span className="small muted">
            {done} of {steps.length} steps
          </span>
        </div>
      ) : null}
      {progress?.action && !finished ? (
        <div className="notice info" role="alert">
          <strong>Sign in to continue</strong>
          The server wants you to sign in and approve, as Claude would ask.{' '}
          <a href={progress.action.url} target="_blank" rel="noopener noreferrer">
            Open the sign-in page
          </a>{' '}
          (new tab); the check goes on once you approve.
        </div>
      ) : null}
      {groups.map((g) => (
        <section key={g.group} aria-label={GROUPS[g.group]}>
          <h3 className="check-group">{GROUPS[g.group]}</h3>
          <ol className="check-steps">
            {g.steps.map((s) => {
              const r = results.get(s.id);
              const current = !finished && progress?.current === s.id;
              return (
                <li key={s.id} aria-current={current ? 'step' : undefined}>
                  <span>
                    {r ? (
                      <Badge tone={OUTCOME[r.outcome].tone}>{OUTCOME[r.outcome].label}</Badge>
                    ) : current ? (
                      <Badge tone="info">
                        <span className="spinner" aria-hidden="true" /> running
                      </Badge>
                    ) : (
                      <Badge>{finished ? 'not run' : 'waiting'}</Badge>
                    )}
                  </span>
                  <div>
                    <div>{s.title}</div>
                    {r ? <div className="small muted">{r.summary}</div> : null}
                    {r?.hint ? <div className="hint">Fix: {r.hint}</div> : null}
                    {r?.details && r.details.length > 0 ? (
                      <details>
                        <summary className="small">Details</summary>
                        <ul className="small">
                          {r.details.map((d) => (
                            <li key={d}>{d}</li>
                          ))}
                        </ul>
                      </details>
                    ) : null}
                  </div>
                  <span className="small muted">{r ? formatMs(r.durationMs) : ''}</span>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
    </Panel>
  );
}

/** One sentence for screen readers: the latest finished step, then the verdict (not the whole list). */
function announcement(job: Job, report: CheckReport | null): string {
  if (report) return `Check finished: ${REPORT[report.outcome].label}.`;
  const results = checkProgress(job)?.results ?? [];
  const last = results[results.length - 1];
  return last ? `${last.title}: ${OUTCOME[last.outcome].label}` : '';
}
