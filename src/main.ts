import { ConfigError, loadConfig } from './config/index.js';
import { startTelemetry } from './telemetry/otel.js';

async function main(): Promise<void> {
  const started = performance.now();
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`switchboard: ${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  // The SDK hooks the module loader, so it starts before the server's modules load: they are imported
  // dynamically, after it (a static import would load them first).
  if (config.controls.telemetry) await startTelemetry(config, { instrument: true });
  const { startApp } = await import('./bootstrap.js');
  const running = await startApp(config);
  const readyMs = Math.round(performance.now() - started);
  const lines = [
    '',
    `  Switchboard is ready on ${config.publicUrl} (listening on ${running.url}, ${readyMs} ms)`,
    `  database: ${config.database.kind === 'pglite' ? `embedded PGlite in ${config.database.dataDir}` : 'PostgreSQL'}`,
    `  dashboard: ${config.publicUrl}/admin`,
  ];
  if (running.seed) {
    lines.push(
      '',
      `  A demo tenant was created. Its MCP URL:`,
      `    ${running.seed.mcpUrl}`,
      `  API key (shown once — store it now):`,
      `    ${running.seed.apiKey}`,
      '',
      '  Next:',
      `    - list its prompts (2026-07-28, one request, no session):`,
      `        curl -s ${running.seed.mcpUrl} -H "Authorization: Bearer <key>" -H 'Content-Type: application/json' \\`,
      `          -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2026-07-28' -H 'Mcp-Method: prompts/list' \\`,
      `          -d '{"jsonrpc":"2.0","id":1,"method":"prompts/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"curl","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}}}'`,
      `    - open the dashboard, ${config.publicUrl}/admin, and sign in as ${running.seed.ownerEmail}`,
      `      with the one-time password ${running.seed.ownerPassword} (change it: npx switchboard user set-password ${running.seed.ownerEmail});`,
      '      it shows the MCP URL with step-by-step "Add to Claude" instructions, connections, members and keys.',
      `    - or add the MCP URL to Claude as a custom connector and sign in there with the same account.`,
      '    - manage tenants, endpoints, packs and keys with `npx switchboard --help` (stop the server first on the embedded database).',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`switchboard: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
