import type { ToolPack } from './pack.types.js';

/**
 * Holds every pack known to this process. Integration modules register theirs at module init;
 * the MCP host and the admin API look them up by id.
 */
export class PackRegistry {
  private readonly packs = new Map<string, ToolPack>();

  register<C>(pack: ToolPack<C>): void {
    if (this.packs.has(pack.id)) throw new Error(`tool pack "${pack.id}" is registered twice`);
    this.packs.set(pack.id, pack as ToolPack);
  }

  get(id: string): ToolPack | undefined {
    return this.packs.get(id);
  }

  list(): ToolPack[] {
    return [...this.packs.values()];
  }
}
