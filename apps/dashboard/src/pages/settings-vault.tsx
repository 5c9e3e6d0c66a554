import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, ok } from '../api/client';
import { jobErrorText, rotationProgress } from '../api/jobs';
import { useToast } from '../components/toast';
import { Badge, ConfirmButton, ErrorNotice, Loading, Panel } from '../components/ui';
import { formatDateTime, formatNumber } from '../lib/format';
import { cancelJob, useJob } from '../lib/use-job';
import { useTenantScope } from '../session';

export function VaultPanel() {
  const tenant = useTenantScope();
  const queries = useQueryClient();
  const toast = useToast();
  const key = ['tenant', tenant.slug, 'vault'];
  const vault = useQuery({
    queryKey: key,
    queryFn: () =>
      ok(api.GET('/api/v1/tenants/{tenant}/vault', { params: { path: { tenant: tenant.slug } } })),
  });
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(tenant.slug, jobId);
  const start = useMutation({
    mutationFn: () =>
      ok(api.POST('/api/v1/tenants/{tenant}/vault/rotations', { params: { path: { tenant: tenant.slug } } })),
    onSuccess: (answer) => setJobId(answer.job.id),
  });
  const status = job.data?.status;
  useEffect(() => {
    if (status === 'succeeded' || status === 'failed' || status === 'cancelled') {
      void queries.invalidateQueries({ queryKey: key });
      if (status === 'succeeded') toast('Data key rotated: every secret is on the new key');
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- react to the job's end only
  }, [status]);
  const running = status === 'queued' || status === 'running';
  // Started elsewhere (another admin, the CLI): say so rather than offer a second one.
  const elsewhere = !running && jobId === null && vault.data?.rotationInProgress === true;
  const p = job.data ? rotationProgress(job.data) : null;
  const v = vault.data;
  return (
    <Panel title="Encryption keys">
      <p className="muted">
        Credentials are encrypted with this tenant&apos;s data key, itself encrypted by the platform&apos;s
        master key. Rotating gives the tenant a new data key and re-encrypts every secret; everything keeps
        working meanwhile.
      </p>
      {vault.isPending ? <Loading /> : null}
      <ErrorNotice
        error={vault.error ?? start.error}
        onRetry={vault.error ? () => void vault.refetch() : undefined}
      />
      {v ? (
        <table className="facts">
          <tbody>
            <tr>
              <th scope="row">Data key version</th>
              <td>{v.keyVersion ?? 'none yet (no secret stored)'}</td>
            </tr>
            <tr>
              <th scope="row">Secrets stored</th>
              <td>{formatNumber(v.secrets)}</td>
            </tr>
            <tr>
              <th scope="row">Still on older keys</th>
              <td>
                {v.secretsOnOldKeys === 0 ? (
                  <Badge tone="ok">none</Badge>
                ) : (
                  <Badge tone="warn">{formatNumber(v.secretsOnOldKeys)}</Badge>
                )}
              </td>
            </tr>
            <tr>
              <th scope="row">Master key</th>
              <td className="mono">{v.kekId ?? '—'}</td>
            </tr>
            <tr>
              <th scope="row">Last rotated</th>
              <td>{formatDateTime(v.rotatedAt ?? null)}</td>
            </tr>
          </tbody>
        </table>
      ) : null}
      <p />
      <div aria-live="polite">
        {job.data ? (
          <div className="stack tight">
            <div className="row">
              <strong>Rotation</strong>
              <Badge
                tone={
                  status === 'succeeded'
                    ? 'ok'
                    : status === 'failed'
                      ? 'bad'
                      : status === 'cancelled'
                        ? 'warn'
                        : 'info'
                }
              >
                {status}
              </Badge>
            </div>
            {p ? (
              <>
                <progress max={Math.max(1, p.total)} value={p.done} aria-label="Rotation progress" />
                <span className="small">
                  {formatNumber(p.done)} of {formatNumber(p.total)} secrets re-encrypted
                </span>
              </>
            ) : running ? (
              <progress aria-label="Rotation progress" />
            ) : null}
            {status === 'failed' ? <div className="notice bad">{jobErrorText(job.data)}</div> : null}
          </div>
        ) : null}
      </div>
      <ErrorNotice error={job.error} />
      {elsewhere ? (
        <p>
          <Badge tone="info">rotation running</Badge> A rotation started elsewhere is still running.
        </p>
      ) : null}
      {tenant.canManage && !elsewhere ? (
        <div className="row">
          {running && jobId ? (
            <button
              type="button"
              onClick={async () => {
                await cancelJob(tenant.slug, jobId);
                await job.refetch();
              }}
            >
              Stop rotation
            </button>
          ) : (
            <ConfirmButton
              label="Rotate data key"
              className="primary"
              title="Rotate this tenant's data key?"
              message={
                <p>
                  Every secret is re-encrypted under a new key. It runs in the background; nothing stops
                  working.
                </p>
              }
              confirmLabel="Rotate"
              onConfirm={() => start.mutateAsync()}
            />
          )}
        </div>
      ) : null}
    </Panel>
  );
}
