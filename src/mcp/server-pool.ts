import type { McpServer } from '@modelcontextprotocol/server';

/**
 * Idle, pre-built McpServer instances for one endpoint generation and one permission level.
 *
 * An instance holds per-request state while it serves, so it is never shared by two requests:
 * `acquire()` hands out an idle one (or builds one), and the instance comes back when the SDK closes
 * its per-request transport. Building a server costs 2–3× what serving one request does, hence the pool.
 */
export class ServerPool {
  private readonly idle: McpServer[] = [];
  private retired = false;
  private built = 0;

  constructor(
    private readonly build: () => McpServer,
    private readonly maxIdle: number,
  ) {}

  /** Instances built over the pool's life (for tests and metrics). */
  get builtCount(): number {
    return this.built;
  }

  get idleCount(): number {
    return this.idle.length;
  }

  acquire(): McpServer {
    const server = this.idle.pop() ?? this.create();
    server.server.onclose = () => {
      // Released after the SDK has finished its own close bookkeeping for this exchange.
      queueMicrotask(() => this.release(server));
    };
    return server;
  }

  /** Stops recycling: a newer generation replaced this one. Instances still serving finish normally. */
  retire(): void {
    this.retired = true;
    this.idle.length = 0;
  }

  private create(): McpServer {
    this.built++;
    return this.build();
  }

  private release(server: McpServer): void {
    if (this.retired || server.isConnected() || this.idle.length >= this.maxIdle) return;
    if (!this.idle.includes(server)) this.idle.push(server);
  }
}
