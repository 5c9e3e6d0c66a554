import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Command } from 'commander';
import { DomainError } from '../../../src/common/domain-error.js';
import { loadConfig, type AppConfig } from '../../../src/config/index.js';
import { CliModule } from './cli.module.js';
import { createOutput, type Output } from './output.js';

/** What every command group gets: configuration, output, and the application context to work in. */
export interface CliKit {
  config(): AppConfig;
  out(cmd: Command): Output;
  /** Runs `fn` inside the application context (database migrated, packs registered), then closes it. */
  withContext<T>(fn: (ctx: INestApplicationContext) => Promise<T>): Promise<T>;
  positiveInt(value: string, flag: string): number;
  parseJson(value: string, flag: string): unknown;
}

export function createKit(
  env: Readonly<Record<string, string | undefined>>,
  write: (s: string) => void,
): CliKit {
  const config = (): AppConfig => loadConfig(env);
  return {
    config,
    out: (cmd) => createOutput(Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json), write),
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
