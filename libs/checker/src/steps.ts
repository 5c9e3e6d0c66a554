import type { StepDefinition, StepId } from './check.types.js';

/** Every step, in the order Claude meets them. Titles are what the report and dashboard show. */
export const STEPS: readonly StepDefinition[] = [
  { id: 'reachability', title: 'Reachability', group: 'transport' },
  { id: 'tls', title: 'TLS certificate', group: 'transport' },
  {
    id: 'unauthenticated-challenge',
    title: 'Unauthenticated request gets 401 + WWW-Authenticate',
    group: 'discovery',
  },
  { id: 'protected-resource-metadata', title: 'Protected-resource metadata (RFC 9728)', group: 'discovery' },
  {
    id: 'authorization-server-metadata',
    title: 'Authorization-server metadata (RFC 8414)',
    group: 'discovery',
  },
  { id: 'client-registration', title: "Client registration with Claude's callbacks", group: 'oauth' },
  { id: 'authorization', title: 'Authorization (sign-in and consent)', group: 'oauth' },
  { id: 'token-exchange', title: 'Token exchange (code + PKCE + resource)', group: 'oauth' },
  { id: 'token-audience', title: 'Access-token audience', group: 'oauth' },
  { id: 'legacy.initialize', title: '2025 era: initialize', group: 'legacy' },
  { id: 'legacy.tools', title: '2025 era: tools/list', group: 'legacy' },
  { id: 'legacy.resources', title: '2025 era: resources/list', group: 'legacy' },
  { id: 'legacy.prompts', title: '2025 era: prompts/list', group: 'legacy' },
  { id: 'legacy.tool-call', title: '2025 era: read-only tool call', group: 'legacy' },
  { id: 'modern.discover', title: '2026-07-28: server/discover', group: 'modern' },
  { id: 'modern.tools', title: '2026-07-28: tools/list', group: 'modern' },
  { id: 'modern.resources', title: '2026-07-28: resources/list', group: 'modern' },
  { id: 'modern.prompts', title: '2026-07-28: prompts/list', group: 'modern' },
  { id: 'modern.tool-call', title: '2026-07-28: read-only tool call', group: 'modern' },
  { id: 'errors.malformed-json', title: 'Malformed JSON → -32700', group: 'errors' },
  { id: 'errors.unknown-method', title: 'Unknown method → -32601', group: 'errors' },
  { id: 'errors.invalid-params', title: 'Invalid params → -32602', group: 'errors' },
  { id: 'latency', title: 'Latency of a short burst', group: 'performance' },
];

const BY_ID = new Map(STEPS.map((s) => [s.id, s]));

export function stepDefinition(id: StepId): StepDefinition {
  const step = BY_ID.get(id);
  if (!step) throw new Error(`unknown step ${id}`);
  return step;
}
