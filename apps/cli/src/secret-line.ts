import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { DomainError } from '../../../src/common/domain-error.js';

/** Standard input as commands see it (a test passes its own stream). */
export type CliInput = NodeJS.ReadableStream & { readonly isTTY?: boolean };

/**
 * Reads one secret line (a password, a key) from standard input, never from argv (which `ps` and shell
 * history show): the first line of piped input, or a prompt without echo on a terminal.
 */
export async function readSecretLine(input: CliInput, prompt: string, what = 'password'): Promise<string> {
  let line: string;
  if (input.isTTY) {
    process.stderr.write(prompt);
    const muted = new Writable({ write: (_chunk, _enc, done) => done() });
    const rl = createInterface({ input, output: muted, terminal: true });
    line = await new Promise<string>((resolve) => rl.question('', resolve));
    rl.close();
    process.stderr.write('\n');
  } else {
    const chunks: Buffer[] = [];
    for await (const chunk of input) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      if (chunks.some((c) => c.includes(0x0a))) break;
    }
    line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  if (line.length === 0) throw new DomainError('invalid_argument', `no ${what} on standard input`);
  return line;
}
