import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Command } from 'commander';
import { DomainError } from '../../../src/common/domain-error.js';
import { loadConfig, type AppConfig } from '../../../src/config/index.js';
import { CliModule } from './cli.module.js';
import { createOutput, type Output } from './output.js';
import type { CliInput } from './secret-line.js';

/** What every command group gets: configuration, output, and the application context to work in. */
export interface CliKit {
  /** The environment the command runs with (read it here, never from process.env). */
  readonly env: Readonly<Record<string, string | undefined>>;
  config(): AppConfig;
  out(cmd: Command): Output;
  /** Runs `fn` inside the application context (database migrated, packs registered), then closes it. */
  withContext<T>(fn: (ctx: INestApplicationContext) => Promise<T>): Promise<T>;
  positiveInt(value: string, flag: string): number;
  parseJson(value: string, flag: string): unknown;
  /** Standard input (secrets are read from it, never from argv). */
  stdin(): CliInput;
  /** Progress and prompts for people, on standard error; never part of the command's result. */
  progress(s: string): void;
}

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  input?: CliInput;
}

/** `output` may be just the output writer (standard error and input are then the process's own). */
export function createKit(
  env: Readonly<Record<string, string | undefined>>,
  output: CliIo | ((s: string) => void),
): CliKit {
  const io: CliIo =
    typeof output === 'function' ? { out: output, err: (s) => void process.stderr.write(s) } : output;
  // Configuration and the application context are built on first use, so commands that need neither
  // (`check`) never open the database.
  const config = (): AppConfig => loadConfig(env);
  return {
    env,
    config,
    out: (cmd) => createOutput(Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json), io.out),
    stdin: () => io.input ?? process.stdin,
    progress: (s) => io.err(s),
    async withContext(fn) {
      const ctx = await NestFactory.createApplicationContext(CliModule.forConfig(config()), {
        logger: ['error'],
        abortOnError: false,
      });
      try {
        return await fn(ctx);
      } finally {
        await ctx.close();
      }
    },
    positiveInt(value, flag) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1)
        throw new DomainError('invalid_argument', `${flag} must be a positive whole number`);
      return n;
    },
    parseJson(value, flag) {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        throw new DomainError('invalid_argument', `${flag} is not valid JSON`);
      }
    },
  };
}
