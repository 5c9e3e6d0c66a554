/**
 * A canary secret through the whole running platform: set (through the CLI's reader and the service),
 * used by a tool over MCP, tampered with, rotated. Its value must never appear in a log line, a tool
 * result, an error body, a listing, or anywhere in the database.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { PackRegistry, textResult, type ToolPack } from '@switchboard/integration-kit';
import { z } from 'zod';
import { PrismaService } from '../../../src/database/prisma.service.js';
import { VaultRotationService } from '../../../src/vault/vault-rotation.service.js';
import { VaultService } from '../../../src/vault/vault.service.js';
import { createTenant, startTestApp, type TestApp } from '../../support/app.js';
import { databaseContains } from './vault-harness.js';
import { OutputCapture } from './log-capture.js';

jest.setTimeout(120_000);

const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const FORMS = [CANARY, Buffer.from(CANARY).toString('hex'), Buffer.from(CANARY).toString('base64')];

/** Reads a secret and answers only with its length; logs through the pack logger like a real pack. */
const canaryPack: ToolPack = {
  id: 'vault-canary',
  title: 'Vault canary',
  description: 'Reads a secret and reports its length.',
  version: '1.0.0',
  configSchema: z.object({}),
  secrets: [{ name: 'token', description: 'any value', required: true }],
  exposeByDefault: true,
  surface: async () => ({
    tools: [
      {
        name: 'secret_length',
        title: 'Secret length',
        description: 'Returns the length of a stored secret.',
        inputSchema: z.object({ name: z.string() }),
        annotations: { readOnlyHint: true },
        permission: 'read',
        handler: async (args, ctx) => {
          const value = await ctx.secrets.get(String(args.name));
          ctx.logger.info('secret read', { name: args.name, length: value.length });
          return textResult(`length ${value.length}`);
        },
      },
    ],
  }),
};

function textOf(result: { content?: unknown }): string {
  return ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');
}

function expectNoCanary(text: string, where: string): void {
  for (const form of FORMS) expect({ where, found: text.includes(form) }).toEqual({ where, found: false });
}

describe('a canary secret', () => {
  const capture = new OutputCapture();
  let app: TestApp;

  beforeAll(async () => {
    capture.start();
    app = await startTestApp({ LOG_LEVEL: 'trace' });
    app.running.app.get(PackRegistry).register(canaryPack);
  });
  afterAll(async () => {
    await app?.close();
    capture.stop();
  });

  it('never shows up in logs, results, error bodies, listings or the database', async () => {
    const t = await createTenant(app, { packs: ['vault-canary'] });
    const tenant = await app.tenancy.getTenant(t.slug);
    const scope = { tenantId: tenant.id };
    const vault = app.running.app.get(VaultService);
    const [connection] = (await vault.listConnections(scope)).filter((c) => c.packId === 'vault-canary');
    await vault.setSecret(scope, connection!.id, 'token', CANARY);
    await vault.setSecret(scope, connection!.id, 'copied', 'placeholder');
    const seen: string[] = [JSON.stringify(await vault.listSecrets(scope))];

    const client = new Client({ name: 'canary', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(t.mcpUrl), {
        requestInit: { headers: { Authorization: `Bearer ${t.key}` } },
      }),
    );
    try {
      const used = await client.callTool({ name: 'secret_length', arguments: { name: 'token' } });
      expect(textOf(used)).toBe(`length ${CANARY.length}`);
      seen.push(JSON.stringify(used));

      const missing = await client.callTool({ name: 'secret_length', arguments: { name: 'absent' } });
      expect(missing.isError).toBe(true);
      seen.push(JSON.stringify(missing));

      // The canary's ciphertext copied onto another row: decryption fails, and says nothing of the value.
      const prisma = app.running.app.get(PrismaService);
      const source = await prisma.secret.findFirstOrThrow({ where: { tenantId: tenant.id, name: 'token' } });
      await prisma.secret.updateMany({
        where: { tenantId: tenant.id, name: 'copied' },
        data: { ciphertext: source.ciphertext, iv: source.iv, authTag: source.authTag },
      });
      const moved = await client.callTool({ name: 'secret_length', arguments: { name: 'copied' } });
      expect(moved.isError).toBe(true);
      seen.push(JSON.stringify(moved));
      await vault.deleteSecret(scope, connection!.id, 'copied');

      const rotated = await app.running.app
        .get(VaultRotationService)
        .rotateTenantKey(scope, { batchSize: 1 });
      expect(rotated).toMatchObject({ status: 'completed', retiredVersions: [1] });
      seen.push(
        JSON.stringify(rotated),
        JSON.stringify(await app.running.app.get(VaultRotationService).status(scope)),
      );
      const after = await client.callTool({ name: 'secret_length', arguments: { name: 'token' } });
      expect(textOf(after)).toBe(`length ${CANARY.length}`);

      // Raw HTTP error bodies too: a bad call and an unknown tool.
      for (const body of [
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'nope', arguments: { token: CANARY.length } },
        },
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'secret_length', arguments: {} } },
      ]) {
        const res = await fetch(t.mcpUrl, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${t.key}`,
            'Content-Type': 'application/json',
            Accept: 'application/json, text/event-stream',
            'MCP-Protocol-Version': '2025-06-18',
          },
          body: JSON.stringify(body),
        });
        seen.push(await res.text());
      }
      expect(await databaseContains(prisma, CANARY)).toEqual([]);
    } finally {
      await client.close();
    }

    for (const [i, text] of seen.entries()) expectNoCanary(text, `response ${i}`);
    const logs = capture.text();
    // The capture works: the pack's own log line and request logs are in it.
    expect(logs).toContain('secret read');
    expect(logs).toContain(`"length":${CANARY.length}`);
    expectNoCanary(logs, 'logs');
  });
});
