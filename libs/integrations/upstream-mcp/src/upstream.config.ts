import { createHash } from 'node:crypto';

import * as z from 'zod';

export const TOKEN_SECRET = 'token';
export const CLIENT_ID_SECRET = 'client_id';
export const CLIENT_SECRET_SECRET = 'client_secret';

const authSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({ kind: z.literal('bearer') })
    .strict()
    .describe('Sends the `token` secret as `Authorization: Bearer …` on every request.'),
  z
    .object({
      kind: z.literal('oauth_client_credentials'),
      issuer: z
        .url({ protocol: /^https?$/ })
        .describe(
          'Issuer of the authorization server the client was registered with; the client secret is only ever sent to it.',
        ),
      scope: z.string().min(1).max(1024).optional().describe('Space-separated scopes to request.'),
    })
    .strict()
    .describe(
      'OAuth 2.0 client credentials grant with the `client_id` and `client_secret` secrets; the token endpoint is discovered from the server (RFC 9728, RFC 8414).',
    ),
]);

const namePattern = /^[a-z][a-z0-9]{0,15}$/;

export const upstreamConfigSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/ })
      .describe('Streamable HTTP endpoint of the upstream MCP server, e.g. https://mcp.example.com/mcp.'),
    namespace: z
      .string()
      .regex(namePattern, 'lowercase letters and digits, starting with a letter, at most 16 characters')
      .describe(
        'Prefix of every re-exposed tool and prompt: namespace "gh" turns `search` into `gh_search`.',
      ),
    tools: z
      .array(z.string().min(1).max(128))
      .max(500)
      .optional()
      .describe('Upstream tool names to re-expose (their upstream names); every tool when omitted.'),
    prompts: z
      .array(z.string().min(1).max(128))
      .max(500)
      .optional()
      .describe('Upstream prompt names to re-expose; every prompt when omitted.'),
    resources: z
      .boolean()
      .default(true)
      .describe("Re-expose the upstream's resources and resource templates."),
    auth: authSchema.default({ kind: 'none' }),
    protocol: z
      .enum(['auto', 'legacy', 'modern'])
      .default('auto')
      .describe(
        'auto: probe and use the newest era the server speaks. legacy: 2025-era initialize handshake only. modern: 2026-07-28 only.',
      ),
    requestTimeoutMs: z.number().int().min(500).max(300_000).default(60_000),
  })
  .strict();

export type UpstreamConfig = z.infer<typeof upstreamConfigSchema>;
export type UpstreamAuth = UpstreamConfig['auth'];

/** Parses a stored configuration; the host validated it on save, so a failure here means a stale or edited row. */
export function parseUpstreamConfig(raw: unknown): UpstreamConfig {
  return upstreamConfigSchema.parse(raw);
}

/** Identifies a configuration: a changed URL, auth or era opens a new upstream client. */
export function configDigest(config: UpstreamConfig): string {
  const relevant = { url: config.url, auth: config.auth, protocol: config.protocol };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}
