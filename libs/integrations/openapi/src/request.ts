import type { HttpResponse } from '@switchboard/http-client';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { structuredResult, textResult, toolError } from '@switchboard/integration-kit';

import { isObject } from './document.js';
import { OpenApiError } from './openapi.errors.js';
import type { OperationSpec } from './operations.js';

/** How much of an error body a tool error quotes. */
const ERROR_BODY_CHARS = 500;

export interface BuiltRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function pathValue(value: unknown): string {
  const parts = Array.isArray(value) ? value.map(scalar) : [scalar(value)];
  for (const part of parts) {
    // `..` would climb out of the operation's path (URL parsers collapse it even when percent-encoded).
    if (part === '' || part === '.' || part === '..') {
      throw new OpenApiError(`"${part}" is not a valid path segment value.`);
    }
  }
  return parts.map((p) => encodeURIComponent(p)).join(',');
}

/** Builds the URL, headers and body of one call from validated arguments. */
export function buildRequest(
  spec: OperationSpec,
  baseUrl: string,
  args: Record<string, unknown>,
): BuiltRequest {
  let path = spec.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = { accept: 'application/json, */*;q=0.5' };
  for (const p of spec.parameters) {
    const value = args[p.key];
    if (value === undefined || value === null) continue;
    if (p.in === 'path') {
      path = path.split(`{${p.name}}`).join(pathValue(value));
    } else if (p.in === 'query') {
      if (Array.isArray(value)) {
        if (p.explode) for (const v of value) query.append(p.name, scalar(v));
        else query.append(p.name, value.map(scalar).join(','));
      } else if (isObject(value) && p.explode) {
        for (const [k, v] of Object.entries(value)) query.append(k, scalar(v));
      } else query.append(p.name, scalar(value));
    } else {
      const headerValue = Array.isArray(value) ? value.map(scalar).join(',') : scalar(value);
      if (/[\r\n]/.test(headerValue))
        throw new OpenApiError(`Header "${p.name}" may not contain line breaks.`);
      headers[p.name.toLowerCase()] = headerValue;
    }
  }
  const qs = query.toString();
  const url = `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}${qs ? `?${qs}` : ''}`;
  let body: string | undefined;
  if (spec.body && args.body !== undefined) {
    if (/json/i.test(spec.body.mediaType)) {
      body = JSON.stringify(args.body);
    } else {
      const form = new URLSearchParams();
      if (isObject(args.body)) {
        for (const [k, v] of Object.entries(args.body)) {
          if (Array.isArray(v)) for (const item of v) form.append(k, scalar(item));
          else if (v !== undefined && v !== null) form.append(k, scalar(v));
        }
      }
      body = form.toString();
    }
    headers['content-type'] = spec.body.mediaType;
  }
  return { url, headers, ...(body !== undefined && { body }) };
}

function contentType(response: HttpResponse): string {
  const value = response.headers['content-type'];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function isTextual(type: string): boolean {
  return (
    type === '' ||
    /^text\//i.test(type) ||
    /json|xml|yaml|javascript|x-www-form-urlencoded|graphql|csv/i.test(type)
  );
}

/**
 * Renders an API response for a model: 2xx JSON objects as structured content plus their text, other
 * bodies as text (binary ones described, not dumped); truncation is stated; non-2xx is a tool error with the
 * status and the start of the body.
 */
export function renderResponse(
  spec: OperationSpec,
  response: HttpResponse,
  maxBytes: number,
): CallToolResult {
  const type = contentType(response);
  const where = `${spec.method} ${spec.path}`;
  const truncatedNote = response.truncated
    ? `\n\n[Response truncated: only the first ${maxBytes} bytes were kept.]`
    : '';
  if (response.status < 200 || response.status >= 300) {
    const raw = isTextual(type) ? response.text().replace(/\s+/g, ' ').trim() : '';
    const snippet = raw.length > ERROR_BODY_CHARS ? `${raw.slice(0, ERROR_BODY_CHARS)}…` : raw;
    return toolError(
      `The API answered HTTP ${response.status} to ${where}${snippet ? `: ${snippet}` : ' (empty body).'}`,
    );
  }
  if (response.body.length === 0) {
    return textResult(`HTTP ${response.status} from ${where}, with an empty body.`);
  }
  if (!isTextual(type)) {
    return textResult(
      `HTTP ${response.status} from ${where}: a binary ${type} body of ${response.body.length} bytes${response.truncated ? ' (truncated)' : ''}, not shown.`,
    );
  }
  const body = response.text();
  if (!response.truncated && /json/i.test(type)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return textResult(`${body}\n\n[The API said this is JSON but it does not parse.]`);
    }
    if (isObject(parsed)) return structuredResult(parsed, body);
  }
  return textResult(`${body}${truncatedNote}`);
}
