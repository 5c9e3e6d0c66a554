import type { RowSet } from '../result-set.js';
import type { DescribeTableOutput, RowSetOutput, WriteOutput } from './tool-schemas.js';

/** The structured form of a row set, as the tools' output schema describes it. */
export function rowSetOutput(set: RowSet): RowSetOutput {
  return {
    columns: set.columns.map((c) => ({ name: c.name, type: c.type })),
    rows: set.rows.map((r) => [...r]),
    rowCount: set.rows.length,
    truncated: set.truncated !== null,
    truncationReason: set.truncated,
    cellsTruncated: set.cellsTruncated,
  };
}

function cell(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string')
    return value.replace(/[\t\n\r]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
  return JSON.stringify(value);
}

/** Explains a cut in words the model can act on. */
export function truncationNote(set: RowSetOutput, maxRows: number, maxBytes: number): string | null {
  const notes: string[] = [];
  if (set.truncationReason === 'row_limit') {
    notes.push(
      `TRUNCATED: only the first ${set.rowCount} rows are shown (row limit ${maxRows}); more rows exist. Filter, aggregate, or page with LIMIT/OFFSET.`,
    );
  } else if (set.truncationReason === 'size_limit') {
    notes.push(
      `TRUNCATED: only the first ${set.rowCount} rows are shown (result size limit ${maxBytes} bytes); more rows exist. Select fewer or narrower columns, or page with LIMIT/OFFSET.`,
    );
  }
  if (set.cellsTruncated > 0)
    notes.push(`${set.cellsTruncated} long value(s) were cut; select substrings to see them.`);
  return notes.length > 0 ? notes.join(' ') : null;
}

/** A compact tab-separated rendering: header, rows, and what was cut. */
export function renderRowSet(set: RowSetOutput, maxRows: number, maxBytes: number): string {
  const lines = [
    `${set.rowCount} row${set.rowCount === 1 ? '' : 's'}; columns: ${set.columns.map((c) => `${c.name} (${c.type})`).join(', ') || 'none'}`,
  ];
  if (set.columns.length > 0) {
    lines.push(set.columns.map((c) => c.name).join('\t'));
    for (const row of set.rows) lines.push(row.map(cell).join('\t'));
  }
  const note = truncationNote(set, maxRows, maxBytes);
  if (note) lines.push(note);
  return lines.join('\n');
}

export function renderTable(t: DescribeTableOutput): string {
  const rows =
    t.rowEstimate === null
      ? 'row count unknown'
      : `${t.rowEstimateExact ? '' : '~'}${t.rowEstimate} rows${t.rowEstimateExact ? '' : ' (estimate)'}`;
  const lines = [
    `${t.schema}.${t.name} (${t.kind.replace('_', ' ')}, ${rows})${t.comment ? ` — ${t.comment}` : ''}`,
    'Columns:',
  ];
  for (const c of t.columns) {
    const flags = [
      c.nullable ? 'NULL' : 'NOT NULL',
      c.primaryKey ? 'PRIMARY KEY' : null,
      c.generated ? 'generated' : null,
      c.default !== null ? `DEFAULT ${c.default}` : null,
    ].filter(Boolean);
    lines.push(`  ${c.name} ${c.type} ${flags.join(' ')}${c.comment ? ` — ${c.comment}` : ''}`);
  }
  lines.push(`Primary key: ${t.primaryKey.length > 0 ? `(${t.primaryKey.join(', ')})` : 'none'}`);
  if (t.indexes.length > 0) {
    lines.push('Indexes:');
    for (const i of t.indexes) {
      lines.push(
        `  ${i.name}${i.primary ? ' PRIMARY' : i.unique ? ' UNIQUE' : ''} (${i.columns.join(', ')})`,
      );
    }
  }
  if (t.foreignKeys.length > 0) {
    lines.push('Foreign keys:');
    for (const f of t.foreignKeys) {
      lines.push(
        `  ${f.name} (${f.columns.join(', ')}) → ${f.referencedSchema}.${f.referencedTable} (${f.referencedColumns.join(', ')})`,
      );
    }
  }
  return lines.join('\n');
}

export function renderWrite(w: WriteOutput, maxRows: number, maxBytes: number): string {
  const head = `${w.affectedRows} row${w.affectedRows === 1 ? '' : 's'} changed${w.insertId !== null ? `; generated id ${w.insertId}` : ''}.`;
  return w.returned ? `${head}\n${renderRowSet(w.returned, maxRows, maxBytes)}` : head;
}
