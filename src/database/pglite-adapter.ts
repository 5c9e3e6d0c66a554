import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * pglite-prisma-adapter 0.7.2 for the schema engine, with two defects fixed:
 * - `executeScript` neither awaits nor reports the script, so a failing migration would be recorded as
 *   applied and its error would surface later as an unhandled rejection (which ends the process);
 * - `connectToShadowDb` opens an in-memory PGlite that nothing ever closes.
 * PrismaClient does not run scripts, so it keeps using the plain `PrismaPGlite`.
 */
export function pgliteMigrationFactory(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPGlite(pglite);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => withAwaitedScripts(await inner.connect(), pglite),
    connectToShadowDb: async () => {
      const shadow = new PGlite({ dataDir: 'memory://' });
      await shadow.waitReady;
      const adapter = withAwaitedScripts(await new PrismaPGlite(shadow).connect(), shadow);
      return withDispose(adapter, () => shadow.close());
    },
  };
}

interface AdapterInternals {
  /** Maps a PostgreSQL error to the DriverAdapterError the engine understands (and throws it). */
  onError?: (e: unknown) => never;
}

function withAwaitedScripts(adapter: SqlDriverAdapter, pglite: PGlite): SqlDriverAdapter {
  return override(adapter, {
    executeScript: async (script: string) => {
      try {
        await pglite.exec(script);
      } catch (e) {
        const onError = (adapter as unknown as AdapterInternals).onError;
        if (typeof onError === 'function') onError.call(adapter, e);
        throw e;
      }
    },
  });
}

function withDispose(adapter: SqlDriverAdapter, release: () => Promise<void>): SqlDriverAdapter {
  return override(adapter, {
    dispose: async () => {
      await adapter.dispose();
      await release();
    },
  });
}

/** A view of `target` with some methods replaced; every other member is the original, bound to it. */
export function override<T extends object>(target: T, replacements: Partial<T>): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (Object.prototype.hasOwnProperty.call(replacements, prop))
        return (replacements as Record<PropertyKey, unknown>)[prop];
      const value: unknown = Reflect.get(obj, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}
