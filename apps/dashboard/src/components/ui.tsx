import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { describeError } from '../api/errors';
import { useToast } from './toast';

export function PageHeader(props: { title: string; description?: ReactNode; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${props.title} · Switchboard`;
  }, [props.title]);
  return (
    <header className="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.description ? <p>{props.description}</p> : null}
      </div>
      {props.actions ? <div className="row">{props.actions}</div> : null}
    </header>
  );
}

export function Panel(props: { title?: string; actions?: ReactNode; children: ReactNode; id?: string }) {
  const id = useId();
  return (
    <section className="panel" id={props.id} aria-labelledby={props.title ? id : undefined}>
      {props.title || props.actions ? (
        <div className="panel-header">
          {props.title ? <h2 id={id}>{props.title}</h2> : <span />}
          {props.actions ? <div className="row">{props.actions}</div> : null}
        </div>
      ) : null}
      {props.children}
    </section>
  );
}

export function Loading(props: { label?: string }) {
  return (
    <p className="muted" role="status">
      <span className="spinner" aria-hidden="true" /> {props.label ?? 'Loading…'}
    </p>
  );
}

/** An error a page or form ran into, explained; announced to screen readers as it appears. */
export function ErrorNotice(props: { error: unknown; onRetry?: () => void }) {
  if (!props.error) return null;
  const d = describeError(props.error);
  return (
    <div className="notice bad" role="alert">
      <strong>{d.title}</strong>
      {d.message}
      {d.issues.length > 0 ? (
        <ul>
          {d.issues.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      ) : null}
      {props.onRetry ? (
        <div>
          <button type="button" className="link" onClick={props.onRetry}>
            Try again
          </button>
        </div>
      ) : null}
    </div>
  );
}

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

export function Badge(props: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge ${props.tone ?? ''}`} title={props.title}>
      {props.children}
    </span>
  );
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Not a secure context or permission refused: select-and-copy through a hidden field.
    const field = document.createElement('textarea');
    field.value = text;
    field.setAttribute('readonly', '');
    field.className = 'visually-hidden';
    document.body.append(field);
    field.select();
    const done = document.execCommand('copy');
    field.remove();
    return done;
  }
}

export function CopyButton(props: { text: string; label?: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  const toast = useToast();
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(t);
  }, [copied]);
  return (
    <button
      type="button"
      className={props.className ?? 'small'}
      aria-label={props.label ? `Copy ${props.label}` : 'Copy'}
      onClick={async () => {
        const done = await copyText(props.text);
        setCopied(done);
        toast(
          done ? 'Copied to the clipboard' : 'Could not copy: select the text and copy it',
          done ? 'ok' : 'bad',
        );
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

/** A value to copy, shown in full (an MCP URL, a link). */
export function CopyField(props: { value: string; label: string }) {
  return (
    <div className="copy-field">
      <code aria-label={props.label}>{props.value}</code>
      <CopyButton text={props.value} label={props.label} />
    </div>
  );
}

/** A modal dialog (the browser's own: focus stays inside, Escape closes). */
export function Dialog(props: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby={id} onClose={props.onClose}>
      <h2 id={id}>{props.title}</h2>
      {props.open ? props.children : null}
    </dialog>
  );
}

/** A button that asks before doing something that cannot be undone. */
export function ConfirmButton(props: {
  label: string;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  onConfirm: () => Promise<unknown> | void;
  disabled?: boolean;
  className?: string;
  accessibleLabel?: string;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button
        type="button"
        className={props.className ?? 'danger small'}
        disabled={props.disabled}
        aria-label={props.accessibleLabel}
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
      >
        {props.label}
      </button>
      <Dialog open={open} title={props.title} onClose={() => setOpen(false)}>
        <div>{props.message}</div>
        <ErrorNotice error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await props.onConfirm();
                setOpen(false);
              } catch (e) {
                setError(e);
              } finally {
                setBusy(false);
              }
            }}
          >
            {busy ? 'Working…' : (props.confirmLabel ?? props.label)}
          </button>
        </div>
      </Dialog>
    </>
  );
}

/** A labelled form field with its hint and error, wired for screen readers. */
export function Field(props: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  required?: boolean;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    [props.hint ? hintId : null, props.error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {props.children({ id, describedBy, invalid: Boolean(props.error) })}
      {props.hint ? (
        <div className="hint" id={hintId}>
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <div className="error-text" id={errorId}>
          {props.error}
        </div>
      ) : null}
    </div>
  );
}

/** A query's loading and error states as every page shows them: a spinner, then the error with a retry. */
export function QueryStatus(props: {
  query: { readonly isPending: boolean; readonly error: unknown; refetch(): unknown };
}) {
  const { query } = props;
  return (
    <>
      {query.isPending ? <Loading /> : null}
      <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />
    </>
  );
}

export function EmptyState(props: { children: ReactNode }) {
  return <p className="muted">{props.children}</p>;
}
