import * as z from 'zod';

/** Most operations one connection turns into tools; a model choosing among more than this chooses badly. */
export const MAX_OPERATIONS = 100;
/** Largest OpenAPI document accepted, inline or fetched. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

export const TOKEN_SECRET = 'token';
export const API_KEY_SECRET = 'api_key';
export const USERNAME_SECRET = 'username';
export const PASSWORD_SECRET = 'password';
export const CLIENT_ID_SECRET = 'client_id';
export const CLIENT_SECRET_SECRET = 'client_secret';

const httpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'credentials inside the URL are not allowed');

const documentSchema = z.union([
  z
    .object({
      text: z
        .string()
        .min(2)
        .max(MAX_DOCUMENT_BYTES)
        .describe('The OpenAPI 3.0/3.1 document itself, JSON or YAML.'),
    })
    .strict(),
  z.object({ url: httpUrl.describe('Where to fetch the document (through the egress policy).') }).strict(),
]);

const headerName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'an HTTP header name');

export const authSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({ kind: z.literal('bearer') })
    .strict()
    .describe('Authorization: Bearer <token secret>.'),
  z
    .object({ kind: z.literal('apiKeyHeader'), header: headerName })
    .strict()
    .describe('The api_key secret sent in the named header.'),
  z
    .object({ kind: z.literal('basic') })
    .strict()
    .describe('HTTP Basic with the username/password secrets.'),
  z
    .object({
      kind: z.literal('oauth2ClientCredentials'),
      tokenUrl: httpUrl,
      scopes: z
        .array(
          z
            .string()
            .min(1)
            .max(256)
            .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/),
        )
        .max(50)
        .default([]),
      /** How the client authenticates to the token endpoint (RFC 6749 §2.3.1): Basic header or form body. */
      clientAuth: z.enum(['basic', 'body']).default('basic'),
      audience: z.string().min(1).max(512).optional(),
    })
    .strict()
    .describe(
      'OAuth 2.0 client credentials (client_id/client_secret secrets); the token is cached until expiry.',
    ),
]);

export const openApiConfigSchema = z
  .object({
    document: documentSchema,
    baseUrl: httpUrl.optional().describe("Where calls go; the document's first server when omitted."),
    operations: z
      .array(z.string().min(1).max(256))
      .min(1)
      .max(MAX_OPERATIONS)
      .optional()
      .describe(`operationIds to expose; every operation (at most ${MAX_OPERATIONS}) when omitted.`),
    auth: authSchema.default({ kind: 'none' }),
    timeoutMs: z.number().int().min(100).max(120_000).default(30_000),
    maxResponseBytes: z
      .number()
      .int()
      .min(1024)
      .max(4 * 1024 * 1024)
      .default(256 * 1024),
  })
  .strict();

export type OpenApiConfig = z.output<typeof openApiConfigSchema>;
export type OpenApiAuth = z.output<typeof authSchema>;
