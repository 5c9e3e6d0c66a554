import { useEffect, useRef, useState } from 'react';
import { Badge, ErrorNotice, Field, Panel } from '../components/ui';
import { streamDownload, type DownloadProgress } from '../lib/download';
import { formatBytes, formatNumber } from '../lib/format';

/** Exports the filtered audit log as a file, showing events and bytes as they stream in. */
export function ExportPanel(props: { query: Record<string, string>; tenant: string }) {
  const [format, setFormat] = useState<'jsonl' | 'csv'>('csv');
  const [progress, setProgress] = useState<DownloadProgress | null>(null);
  const [state, setState] = useState<'idle' | 'running' | 'done' | 'cancelled'>('idle');
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  async function run() {
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setProgress({ bytes: 0, lines: 0 });
    setState('running');
    const query = new URLSearchParams({ ...props.query, format });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    try {
      const done = await streamDownload(
        `/api/v1/tenants/${props.tenant}/audit/export?${query.toString()}`,
        `audit-${props.tenant}-${stamp}.${format}`,
        setProgress,
        controller.signal,
      );
      setProgress(done);
      setState('done');
    } catch (e) {
      if (controller.signal.aborted) setState('cancelled');
      else {
        setError(e);
        setState('idle');
      }
    }
  }
  const rows = progress ? Math.max(0, progress.lines - (format === 'csv' ? 1 : 0)) : 0;
  return (
    <Panel title="Export">
      <div className="inline-form">
        <Field label="Format">
          {(ids) => (
            <select
              id={ids.id}
              value={format}
              onChange={(e) => setFormat(e.target.value as 'jsonl' | 'csv')}
              disabled={state === 'running'}
            >
              <option value="csv">CSV (spreadsheets)</option>
              <option value="jsonl">JSON Lines (tools)</option>
            </select>
          )}
        </Field>
        {state === 'running' ? (
          <button type="button" onClick={() => abort.current?.abort()}>
            Cancel export
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void run()}>
            Export the filtered log
          </button>
        )}
      </div>
      <div aria-live="polite">
        {state === 'running' && progress ? (
          <div className="stack tight">
            <p />
            <progress aria-label="Export progress" />
            <span className="small">
              {formatNumber(rows)} events · {formatBytes(progress.bytes)} so far
            </span>
          </div>
        ) : null}
        {state === 'done' && progress ? (
          <p className="small">
            <Badge tone="ok">Export ready</Badge> {formatNumber(rows)} events ({formatBytes(progress.bytes)})
            saved to your downloads.
          </p>
        ) : null}
        {state === 'cancelled' ? <p className="small muted">Export cancelled.</p> : null}
      </div>
      <ErrorNotice error={error} />
    </Panel>
  );
}
