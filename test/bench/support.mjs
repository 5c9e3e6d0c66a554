// Helpers shared by `npm run bench` and `npm run bench:cluster`.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const LEGACY = '2025-11-25';
export const MODERN = '2026-07-28';
export const jsonHeaders = {
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
};

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** Runs `switchboard <args> --json` in the repository and returns its parsed output; throws on failure. */
export function cli(args, env, input) {
  const r = spawnSync(process.execPath, ['apps/cli/bin/switchboard.js', ...args, '--json'], {
    cwd: root,
    env,
    encoding: 'utf8',
    input,
  });
  if (r.status !== 0) throw new Error(`switchboard ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout);
}

/** Opens a 2025-era session (initialize + initialized); returns the headers that carry it. */
export async function openLegacySession(url, headers) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { ...jsonHeaders, ...headers },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
    }),
  });
  const sid = r.headers.get('mcp-session-id');
  await r.text();
  if (!r.ok || !sid) throw new Error(`initialize failed: ${r.status}`);
  const session = { ...headers, 'Mcp-Session-Id': sid, 'Mcp-Protocol-Version': LEGACY };
  await (
    await fetch(url, {
      method: 'POST',
      headers: { ...jsonHeaders, ...session },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    })
  ).text();
  return session;
}
