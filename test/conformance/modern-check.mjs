// Test-only: the conformance suite speaks only the legacy era (2025-06-18 / 2025-11-25). This checks the
// protocol-test-kit tools on the modern era (2026-07-28), where sampling and elicitation travel as
// input_required results and a retried call, against any server URL exposing the pack:
//
//   node test/conformance/modern-check.mjs http://127.0.0.1:PORT/t/<tenant>/e/<endpoint>/mcp
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

if (!process.argv[2]) {
  console.error('usage: modern-check.mjs <endpoint URL>');
  process.exit(2);
}
const url = new URL(process.argv[2]);
const failures = [];
let passed = 0;

function check(name, ok, detail) {
  if (ok) passed++;
  else failures.push(`${name}: ${detail}`);
  console.log(`${ok ? '✓' : '✗'} ${name}${ok ? '' : ` — ${detail}`}`);
}

async function connect(capabilities) {
  const client = new Client(
    { name: 'modern-check', version: '1.0.0' },
    { capabilities, versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new StreamableHTTPClientTransport(url));
  return client;
}

function text(result) {
  return (result.content ?? []).map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join(' ');
}

const capable = await connect({ sampling: {}, elicitation: {} });
const asked = { elicit: [], sampling: 0 };
capable.setRequestHandler('elicitation/create', async (request) => {
  asked.elicit.push(request.params);
  return { action: 'accept', content: { username: 'modern-user', email: 'modern@example.com' } };
});
capable.setRequestHandler('sampling/createMessage', async () => {
  asked.sampling++;
  return {
    role: 'assistant',
    content: { type: 'text', text: 'modern answer' },
    model: 'm',
    stopReason: 'endTurn',
  };
});

const simple = await capable.callTool({ name: 'test_simple_text', arguments: {} });
check('simple text', text(simple) === 'This is a simple text response for testing.', text(simple));

const elicited = await capable.callTool({ name: 'test_elicitation', arguments: { message: 'Who are you?' } });
check(
  'elicitation via input_required',
  asked.elicit.length === 1 &&
    text(elicited).includes('modern-user') &&
    text(elicited).includes('action=accept'),
  `${asked.elicit.length} requests, result "${text(elicited)}"`,
);

const defaults = await capable.callTool({ name: 'test_elicitation_sep1034_defaults', arguments: {} });
const defaultsSchema = asked.elicit[1]?.requestedSchema?.properties;
check(
  'elicitation defaults survive the embedded request',
  defaultsSchema?.name?.default === 'John Doe' &&
    defaultsSchema?.verified?.default === true &&
    !defaults.isError,
  JSON.stringify(defaultsSchema),
);

const sampled = await capable.callTool({ name: 'test_sampling', arguments: { prompt: 'Say something' } });
check(
  'sampling via input_required',
  asked.sampling === 1 && text(sampled) === 'LLM response: modern answer',
  `${asked.sampling} requests, result "${text(sampled)}"`,
);

const progress = [];
await capable.callTool(
  { name: 'test_tool_with_progress', arguments: {} },
  {
    onprogress: (p) => progress.push(p.progress),
  },
);
check('progress notifications', progress.join(',') === '0,50,100', progress.join(','));

const completion = await capable.complete({
  ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' },
  argument: { name: 'arg1', value: 'par' },
});
check(
  'completion',
  completion.completion.values.join(',') === 'paris,park,party',
  completion.completion.values.join(','),
);

const template = await capable.readResource({ uri: 'test://template/42/data' });
check(
  'resource template',
  template.contents[0]?.text?.includes('"id":"42"'),
  JSON.stringify(template.contents),
);
await capable.close();

const incapable = await connect({});
const refused = await incapable.callTool({ name: 'test_sampling', arguments: { prompt: 'x' } });
check('sampling without the capability is a tool error', refused.isError === true, JSON.stringify(refused));
await incapable.close();

console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length > 0 ? 1 : 0);
