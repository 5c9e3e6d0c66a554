import { stringify } from 'csv-stringify/sync';
import canonicalize from 'canonicalize';
import type { JsonObject } from './audit-json.js';

/**
 * The public form of an event: what the query API returns and every export line holds. It carries every
 * field the hash covers, so an export can be verified away from the database (seq is a decimal string:
 * it is a 64-bit counter).
 */
export interface AuditEventView {
  readonly id: string;
  readonly tenantId: string;
  readonly seq: string;
  readonly at: string;
  readonly kind: string;
  readonly actor: { readonly type: string; readonly id: string | null };
  readonly action: string;
  readonly target: string | null;
  readonly outcome: string;
  readonly data: JsonObject;
  readonly prevHash: string;
  readonly hash: string;
}

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_COLUMNS = [
  'seq',
  'id',
  'tenantId',
  'at',
  'kind',
  'actorType',
  'actorId',
  'action',
  'target',
  'outcome',
  'data',
  'prevHash',
  'hash',
] as const;

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/**
 * Spreadsheets run a cell starting with = + - @ (or tab, CR) as a formula; such fields, and fields that
 * already start with an apostrophe, get one apostrophe in front. A reader removes one leading apostrophe
 * from any field that has it, and gets the exact value back.
 */
export function escapeCsvField(value: string): string {
  return /^['=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value;
}

export function unescapeCsvField(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

function csvRecord(e: AuditEventView): string[] {
  return [
    e.seq,
    e.id,
    e.tenantId,
    e.at,
    e.kind,
    e.actor.type,
    e.actor.id ?? '',
    e.action,
    e.target ?? '',
    e.outcome,
    canonicalize(e.data) ?? '{}',
    e.prevHash,
    e.hash,
  ].map(escapeCsvField);
}

/**
 * Text chunks of an export, produced as events are read: JSON Lines (one event per line) or CSV (RFC 4180
 * with a header row; `data` holds the event's canonical JSON; an empty actorId or target means null).
 */
export async function* exportChunks(
  events: AsyncIterable<AuditEventView>,
  format: ExportFormat,
): AsyncGenerator<string> {
  if (format === 'jsonl') {
    for await (const e of events) yield `${JSON.stringify(e)}\n`;
    return;
  }
  const line = (fields: readonly string[]): string => stringify([fields], { record_delimiter: '\r\n' });
  yield line(CSV_COLUMNS);
  for await (const e of events) yield line(csvRecord(e));
}
