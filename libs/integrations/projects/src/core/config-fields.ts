import * as z from 'zod';

/** An http(s) base URL without credentials in it (they belong in the vault). */
export function baseUrl(defaultUrl?: string) {
  const url = z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'credentials inside the URL are not allowed');
  return defaultUrl === undefined ? url : url.default(defaultUrl);
}

export const timeoutMs = z
  .number()
  .int()
  .min(1_000)
  .max(120_000)
  .default(30_000)
  .describe('Time allowed for each request to the vendor, in milliseconds.');

/** Turns a zod failure on a connection's config into one sentence for the admin. */
export function configProblem(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join('.') || 'config'}: ${first.message}` : 'invalid';
}
