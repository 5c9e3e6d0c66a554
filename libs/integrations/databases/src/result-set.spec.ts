import { describe, expect, it } from '@jest/globals';

import { RowCollector, toJsonValue } from './result-set.js';

describe('toJsonValue', () => {
  const convert = (value: unknown, max = 20) => {
    const note = { cut: false };
    return { value: toJsonValue(value, max, note), cut: note.cut };
  };

  it('keeps exact numbers exact', () => {
    expect(convert(42n).value).toBe(42);
    expect(convert(9007199254740993n).value).toBe('9007199254740993');
    expect(convert(-9007199254740993n).value).toBe('-9007199254740993');
    expect(convert(Number.NaN).value).toBe('NaN');
    expect(convert(Infinity).value).toBe('Infinity');
  });

  it('renders dates, binary and driver objects as text', () => {
    expect(convert(new Date('2024-05-01T12:00:00Z'), 40).value).toBe('2024-05-01T12:00:00.000Z');
    expect(convert(new Date('invalid')).value).toBeNull();
    expect(convert(Buffer.from([0, 255, 16])).value).toBe('\\x00ff10');
    expect(convert(new Uint8Array(100), 8)).toEqual({ value: '\\x00000000… [100 bytes]', cut: true });
    expect(convert({ toPostgres: () => '1 day' }).value).toBe('1 day');
    expect(convert({ a: [1, { b: null }] }).value).toEqual({ a: [1, { b: null }] });
  });

  it('cuts long text and says how much', () => {
    expect(convert('x'.repeat(25))).toEqual({ value: `${'x'.repeat(20)}… [5 more characters]`, cut: true });
    expect(convert('short')).toEqual({ value: 'short', cut: false });
  });
});

describe('RowCollector', () => {
  it('stops at the row limit and reports it', () => {
    const c = new RowCollector({ maxRows: 2, maxBytes: 10_000, maxCellChars: 100 });
    expect(c.add([1])).toBe(true);
    expect(c.add([2])).toBe(true);
    expect(c.add([3])).toBe(false);
    expect(c.finish([{ name: 'n', type: 'int' }])).toEqual({
      columns: [{ name: 'n', type: 'int' }],
      rows: [[1], [2]],
      truncated: 'row_limit',
      cellsTruncated: 0,
    });
  });

  it('stops before the size limit and reports it, counting cut cells', () => {
    const c = new RowCollector({ maxRows: 100, maxBytes: 45, maxCellChars: 5 });
    expect(c.add(['abcdefgh'])).toBe(true);
    expect(c.add(['x'])).toBe(true);
    expect(c.add(['yyyyyyy'])).toBe(false);
    const set = c.finish([]);
    expect(set.truncated).toBe('size_limit');
    expect(set.cellsTruncated).toBe(1);
    expect(Buffer.byteLength(JSON.stringify(set.rows))).toBeLessThanOrEqual(45);
  });

  it('reports nothing cut when everything fits, and a source-side stop when told', () => {
    const c = new RowCollector({ maxRows: 5, maxBytes: 1000, maxCellChars: 100 });
    c.add([1]);
    expect(c.finish([]).truncated).toBeNull();
    c.markTruncated();
    expect(c.finish([]).truncated).toBe('size_limit');
  });
});
