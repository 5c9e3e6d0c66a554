/** Prints results for people (aligned text) or machines (`--json`, one JSON document on stdout). */
export interface Output {
  result(value: unknown, human: () => string): void;
  table(rows: readonly Record<string, unknown>[], columns: readonly string[]): string;
}

export function createOutput(
  json: boolean,
  write: (s: string) => void = (s) => process.stdout.write(s),
): Output {
  return {
    result(value, human) {
      write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
    table(rows, columns) {
      if (rows.length === 0) return '(none)';
      const cell = (v: unknown) =>
        v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') : String(v);
      const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
      const line = (vals: string[]) =>
        vals
          .map((v, i) => v.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd();
      return [
        line(columns.map((c) => c.toUpperCase())),
        ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
      ].join('\n');
    },
  };
}
