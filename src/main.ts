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
      `    - try it:  npx @modelcontextprotocol/inspector-cli --cli ${running.seed.mcpUrl} --transport http --method tools/list --header "Authorization: Bearer <key>"`,
      `    - or add it to Claude as a custom connector and sign in as ${running.seed.ownerEmail}`,
      `      with the one-time password ${running.seed.ownerPassword} (change it: npx switchboard user set-password ${running.seed.ownerEmail}).`,
      '    - manage tenants, endpoints, packs and keys with `npx switchboard --help` (stop the server first on the embedded database).',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`switchboard: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
