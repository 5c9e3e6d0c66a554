/** A JSON value as it is sent to the model. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ColumnMeta {
  readonly name: string;
  /** The database's type name (`integer`, `varchar(20)`, `TEXT`…), or `unknown`. */
  readonly type: string;
}

export type TruncationReason = 'row_limit' | 'size_limit';

/** Rows as they leave a driver: capped, converted to JSON, with what was cut said plainly. */
export interface RowSet {
  readonly columns: readonly ColumnMeta[];
  readonly rows: readonly JsonValue[][];
  /** Set when rows were left out; `null` when every row is here. */
  readonly truncated: TruncationReason | null;
  /** How many cell values were cut to `maxCellChars`. */
  readonly cellsTruncated: number;
}

export interface ResultCaps {
  readonly maxRows: number;
  readonly maxBytes: number;
  readonly maxCellChars: number;
}

const MAX_DEPTH = 16;

function cutString(value: string, max: number, note: { cut: boolean }): string {
  if (value.length <= max) return value;
  note.cut = true;
  return `${value.slice(0, max)}… [${value.length - max} more characters]`;
}

/**
 * Converts one value from any driver to JSON: big integers and decimals stay exact as strings, dates as
 * ISO strings, binary as `\x` hex, driver objects through their own text form; long text is cut.
 */
export function toJsonValue(value: unknown, maxChars: number, note: { cut: boolean }, depth = 0): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return cutString(value, maxChars, note);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
    case 'object':
      break;
    default:
      return cutString(String(value), maxChars, note);
  }
  if (depth > MAX_DEPTH) {
    note.cut = true;
    return '[nested too deeply]';
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) {
    const shown = Math.max(1, Math.floor(maxChars / 2));
    const hex = Buffer.from(value.buffer, value.byteOffset, Math.min(value.byteLength, shown)).toString(
      'hex',
    );
    if (value.byteLength > shown) {
      note.cut = true;
      return `\\x${hex}… [${value.byteLength} bytes]`;
    }
    return `\\x${hex}`;
  }
  if (Array.isArray(value)) return value.map((v) => toJsonValue(v, maxChars, note, depth + 1));
  const withText = value as { toPostgres?: () => unknown };
  if (typeof withText.toPostgres === 'function')
    return cutString(String(withText.toPostgres()), maxChars, note);
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out[k] = toJsonValue(v, maxChars, note, depth + 1);
  return out;
}

/**
 * Collects rows up to the row and size caps. `add` returns false once the result is full, so a driver can
 * stop reading (and stop the server sending) as soon as possible.
 */
export class RowCollector {
  private readonly rows: JsonValue[][] = [];
  private bytes = 2;
  private cells = 0;
  private reason: TruncationReason | null = null;

  constructor(private readonly caps: ResultCaps) {}

  add(raw: readonly unknown[]): boolean {
    if (this.reason !== null) return false;
    if (this.rows.length >= this.caps.maxRows) {
      this.reason = 'row_limit';
      return false;
    }
    let cut = 0;
    const row = raw.map((v) => {
      const note = { cut: false };
      const json = toJsonValue(v, this.caps.maxCellChars, note);
      if (note.cut) cut++;
      return json;
    });
    const size = Buffer.byteLength(JSON.stringify(row)) + 1;
    if (this.bytes + size > this.caps.maxBytes) {
      this.reason = 'size_limit';
      return false;
    }
    this.bytes += size;
    this.cells += cut;
    this.rows.push(row);
    return true;
  }

  /** The source stopped early on its own (a worker's size estimate): say so even if the caps were not hit here. */
  markTruncated(): void {
    if (this.reason === null)
      this.reason = this.rows.length >= this.caps.maxRows ? 'row_limit' : 'size_limit';
  }

  get full(): boolean {
    return this.reason !== null;
  }

  finish(columns: readonly ColumnMeta[]): RowSet {
    return { columns, rows: this.rows, truncated: this.reason, cellsTruncated: this.cells };
  }
}
