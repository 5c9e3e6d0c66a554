import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';

export type { SchemaEngine };

/** The module name the wasm's imports are declared under (wasm-bindgen's glue file). */
const GLUE_MODULE = './schema_engine_bg.js';

let loaded: Promise<void> | undefined;

/**
 * Prisma's CLI ships the engine next to its own build; the glue package ships a copy too. Either works with
 * the pinned glue (checked below), the CLI's copy is preferred because `prisma migrate deploy` runs that one.
 */
function wasmCandidates(): string[] {
  const require = createRequire(import.meta.url);
  const out: string[] = [];
  try {
    out.push(join(dirname(require.resolve('prisma/package.json')), 'build', 'schema_engine_bg.wasm'));
  } catch {
    // prisma not installed (pruned production image): fall back to the glue package's copy.
  }
  out.push(join(dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm'));
  return out;
}

async function instantiate(): Promise<void> {
  let bytes: Buffer<ArrayBuffer> | undefined;
  let lastError: unknown;
  for (const path of wasmCandidates()) {
    try {
      bytes = await readFile(path);
      break;
    } catch (e) {
      lastError = e;
    }
  }
  if (!bytes) throw new Error(`Prisma schema engine (schema_engine_bg.wasm) not found: ${String(lastError)}`);

  const module = await WebAssembly.compile(bytes);
  const provided = glue as unknown as Record<string, unknown>;
  const imports: Record<string, unknown> = { ...provided };
  const missing = WebAssembly.Module.imports(module).filter((i) => !(i.name in provided));
  if (missing.length > 0) {
    throw new Error(
      `Prisma schema engine wasm does not match @prisma/schema-engine-wasm (missing ${missing
        .slice(0, 3)
        .map((m) => m.name)
        .join(', ')}); pin the glue version whose engine commit matches the prisma CLI`,
    );
  }
  // The engine arms a 10 s timer around PostgreSQL's advisory lock and never clears it (the glue has no
  // clearTimeout). Unref'd, it can no longer hold a finished CLI command or a test worker open.
  for (const name of Object.keys(provided)) {
    if (!name.startsWith('__wbg_setTimeout_')) continue;
    const original = provided[name] as (fn: () => void, ms: number) => unknown;
    imports[name] = (fn: () => void, ms: number) => {
      const handle = original(fn, ms);
      (handle as { unref?: () => void } | undefined)?.unref?.();
      return handle;
    };
  }
  const instance = await WebAssembly.instantiate(module, { [GLUE_MODULE]: imports } as WebAssembly.Imports);
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
}

/** The glue is a module-level singleton, so the wasm is instantiated once per process. */
function ensureLoaded(): Promise<void> {
  loaded ??= instantiate().catch((e: unknown) => {
    loaded = undefined;
    throw e;
  });
  return loaded;
}

export interface EngineOptions {
  readonly schema?: { readonly path: string; readonly content: string };
  /** Receives the engine's JSON log lines; silent by default. */
  readonly log?: (line: string) => void;
}

/** Starts a schema engine on the given adapter. Call `free()` on it when done. */
export async function startSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: EngineOptions = {},
): Promise<SchemaEngine> {
  await ensureLoaded();
  const datamodels: [string, string][] | undefined = options.schema
    ? [[options.schema.path, options.schema.content]]
    : undefined;
  const log = options.log ?? (() => undefined);
  return glue.SchemaEngine.new({ datamodels }, log, bindMigrationAwareSqlAdapterFactory(factory));
}

export function schemaEngineVersion(): Promise<string> {
  return ensureLoaded().then(() => glue.version());
}
