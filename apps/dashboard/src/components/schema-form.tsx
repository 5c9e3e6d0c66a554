import { useId } from 'react';
import { variantDraft, type Draft, type FieldNode } from '../lib/schema-form';
import { Field } from './ui';

type Props = {
  node: FieldNode;
  draft: Draft;
  onChange: (draft: Draft) => void;
  /** Problems by field path (from buildValue or the API's issues). */
  errors: Record<string, string>;
};

/** Renders a pack's configuration form from its compiled schema (see lib/schema-form.ts). */
export function SchemaForm(props: Props) {
  return <Node {...props} />;
}

function hintOf(node: FieldNode): string | undefined {
  const parts: string[] = [];
  if (node.description) parts.push(node.description);
  if ((node.kind === 'text' || node.kind === 'number') && node.default !== null && !node.required)
    parts.push(`Default: ${String(node.default)}.`);
  if (node.kind === 'list') parts.push('One per line.');
  if (node.kind === 'json') parts.push('JSON.');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function Node({ node, draft, onChange, errors }: Props) {
  const groupId = useId();
  const error = errors[node.path] ?? null;
  switch (node.kind) {
    case 'const':
      return null;
    case 'object': {
      const values = (
        typeof draft === 'object' && draft !== null && !('variant' in draft) ? draft : {}
      ) as Record<string, Draft>;
      const children = node.fields.map((f) => (
        <Node
          key={f.key}
          node={f}
          draft={values[f.key] ?? null}
          errors={errors}
          onChange={(d) => onChange({ ...values, [f.key]: d })}
        />
      ));
      if (node.path === '') return <>{children}</>;
      return (
        <fieldset>
          <legend>{node.label}</legend>
          {node.description ? <p className="small muted">{node.description}</p> : null}
          {children}
        </fieldset>
      );
    }
    case 'choice': {
      const d = (
        typeof draft === 'object' && draft !== null && 'variant' in draft
          ? draft
          : { variant: -1, value: null }
      ) as {
        variant: number;
        value: Draft;
      };
      const chosen = node.variants[d.variant];
      return (
        <fieldset aria-describedby={error ? `${groupId}-error` : undefined}>
          <legend>
            {node.label}
            {node.required ? <span aria-hidden="true"> *</span> : null}
          </legend>
          {node.description ? <p className="small muted">{node.description}</p> : null}
          <Field label="Kind" hint={chosen?.description ?? undefined}>
            {(f) => (
              <select
                id={f.id}
                aria-describedby={f.describedBy}
                value={d.variant}
                onChange={(e) => onChange(variantDraft(node, Number(e.target.value)))}
              >
                {!node.required ? <option value={-1}>Not set</option> : null}
                {node.variants.map((v, i) => (
                  <option key={v.label} value={i}>
                    {v.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {chosen ? (
            <Node
              node={chosen.node}
              draft={d.value}
              errors={errors}
              onChange={(value) => onChange({ variant: d.variant, value })}
            />
          ) : null}
          {error ? (
            <div className="error-text" id={`${groupId}-error`}>
              {error}
            </div>
          ) : null}
        </fieldset>
      );
    }
    case 'boolean':
      return (
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" checked={draft === true} onChange={(e) => onChange(e.target.checked)} />
            {node.label}
          </label>
          {node.description ? <div className="hint">{node.description}</div> : null}
        </div>
      );
    case 'enum':
      return (
        <Field label={node.label} hint={hintOf(node)} error={error} required={node.required}>
          {(f) => (
            <select
              id={f.id}
              aria-describedby={f.describedBy}
              aria-invalid={f.invalid}
              value={typeof draft === 'string' ? draft : ''}
              onChange={(e) => onChange(e.target.value)}
            >
              {!node.required || draft === '' ? (
                <option value="">{node.required ? 'Choose…' : 'Not set'}</option>
              ) : null}
              {node.options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          )}
        </Field>
      );
    case 'list':
    case 'json':
      return (
        <Field label={node.label} hint={hintOf(node)} error={error} required={node.required}>
          {(f) => (
            <textarea
              id={f.id}
              aria-describedby={f.describedBy}
              aria-invalid={f.invalid}
              value={typeof draft === 'string' ? draft : ''}
              onChange={(e) => onChange(e.target.value)}
            />
          )}
        </Field>
      );
    case 'number':
      return (
        <Field label={node.label} hint={hintOf(node)} error={error} required={node.required}>
          {(f) => (
            <input
              id={f.id}
              type="number"
              inputMode={node.integer ? 'numeric' : 'decimal'}
              aria-describedby={f.describedBy}
              aria-invalid={f.invalid}
              required={node.required}
              min={node.minimum ?? undefined}
              max={node.maximum ?? undefined}
              placeholder={node.default !== null ? String(node.default) : undefined}
              value={typeof draft === 'string' ? draft : ''}
              onChange={(e) => onChange(e.target.value)}
            />
          )}
        </Field>
      );
    case 'text':
      return (
        <Field label={node.label} hint={hintOf(node)} error={error} required={node.required}>
          {(f) =>
            node.multiline ? (
              <textarea
                id={f.id}
                aria-describedby={f.describedBy}
                aria-invalid={f.invalid}
                value={typeof draft === 'string' ? draft : ''}
                onChange={(e) => onChange(e.target.value)}
              />
            ) : (
              <input
                id={f.id}
                type={node.format === 'uri' ? 'url' : node.format === 'email' ? 'email' : 'text'}
                aria-describedby={f.describedBy}
                aria-invalid={f.invalid}
                required={node.required}
                placeholder={node.default ?? undefined}
                value={typeof draft === 'string' ? draft : ''}
                onChange={(e) => onChange(e.target.value)}
              />
            )
          }
        </Field>
      );
  }
}
