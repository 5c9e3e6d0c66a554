/**
 * Unwrapped data keys, per process, for a short time: a KMS round trip per decrypt would dominate a tool
 * call. Only keys are cached, never plaintext secrets. Expired and evicted keys are zeroed; callers use a key
 * synchronously right after `get` (node:crypto copies it into the cipher), so zeroing never races a use.
 */
export class DataKeyCache {
  private readonly entries = new Map<string, { readonly key: Buffer; readonly expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get(id: string): Buffer | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.drop(id);
      return undefined;
    }
    return entry.key;
  }

  set(id: string, key: Buffer): void {
    this.drop(id);
    // Map keeps insertion order: the first entry is the oldest.
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.drop(oldest.value);
    }
    this.entries.set(id, { key, expiresAt: this.now() + this.ttlMs });
  }

  drop(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    entry.key.fill(0);
  }

  clear(): void {
    for (const id of [...this.entries.keys()]) this.drop(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
