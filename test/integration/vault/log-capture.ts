import fs from 'node:fs';
import { jest } from '@jest/globals';

/**
 * Captures everything the process writes to stdout and stderr, however it writes: pino's sonic-boom goes
 * straight to fs.writeSync/fs.write on fd 1, Nest's console logger through process.stdout.write.
 */
export class OutputCapture {
  private readonly chunks: string[] = [];
  private readonly restores: (() => void)[] = [];

  start(): this {
    const keep = (data: unknown) => {
      if (typeof data === 'string') this.chunks.push(data);
      else if (data instanceof Uint8Array) this.chunks.push(Buffer.from(data).toString('utf8'));
    };
    const isStd = (fd: unknown) => fd === 1 || fd === 2;
    const writeSync = fs.writeSync;
    const write = fs.write;
    const spies = [
      jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
        if (!isStd(fd)) return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
        keep(data);
        return typeof data === 'string' ? Buffer.byteLength(data) : (data as Uint8Array).length;
      }) as typeof fs.writeSync),
      jest.spyOn(fs, 'write').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
        if (!isStd(fd)) return (write as (...a: unknown[]) => void)(fd, data, ...rest);
        keep(data);
        const cb = rest.findLast((r) => typeof r === 'function') as
          ((e: null, n: number) => void) | undefined;
        const n = typeof data === 'string' ? Buffer.byteLength(data) : (data as Uint8Array).length;
        if (cb) process.nextTick(() => cb(null, n));
      }) as typeof fs.write),
      jest.spyOn(process.stdout, 'write').mockImplementation((data: unknown) => {
        keep(data);
        return true;
      }),
      jest.spyOn(process.stderr, 'write').mockImplementation((data: unknown) => {
        keep(data);
        return true;
      }),
    ];
    for (const s of spies) this.restores.push(() => s.mockRestore());
    return this;
  }

  stop(): void {
    for (const r of this.restores.splice(0)) r();
  }

  text(): string {
    return this.chunks.join('');
  }
}
