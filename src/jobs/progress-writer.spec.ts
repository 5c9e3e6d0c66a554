import { describe, expect, it } from '@jest/globals';
import { ProgressWriter } from './progress-writer.js';

function deferred() {
  let resolve!: (ok: boolean) => void;
  const promise = new Promise<boolean>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ProgressWriter', () => {
  it('keeps one write in flight and writes only the newest value next', async () => {
    const written: unknown[] = [];
    const gates = [deferred(), deferred()];
    const writer = new ProgressWriter(
      (p) => {
        written.push(p);
        return gates[written.length - 1]!.promise;
      },
      () => undefined,
      () => undefined,
    );
    writer.push({ n: 1 });
    writer.push({ n: 2 });
    writer.push({ n: 3 });
    expect(written).toEqual([{ n: 1 }]);
    gates[0]!.resolve(true);
    await new Promise((r) => setImmediate(r));
    expect(written).toEqual([{ n: 1 }, { n: 3 }]);
    gates[1]!.resolve(true);
    await writer.flush();
    expect(writer.last).toEqual({ n: 3 });
  });

  it('says when the row stopped taking progress, and survives a failing write', async () => {
    let stopped = 0;
    const errors: unknown[] = [];
    const results = [Promise.reject(new Error('db down')), Promise.resolve(false)];
    const writer = new ProgressWriter(
      () => results.shift()!,
      () => stopped++,
      (e) => errors.push(e),
    );
    writer.push({ n: 1 });
    await writer.flush();
    writer.push({ n: 2 });
    await writer.flush();
    expect(errors).toHaveLength(1);
    expect(stopped).toBe(1);
  });
});
