import type { Command } from 'commander';
import { runCreateMigration, runMigrate } from '../../../../src/database/migrate.command.js';
import type { CliKit } from '../kit.js';

export function registerDbCommands(program: Command, kit: CliKit): void {
  const db = program.command('db').description('database');
  db.command('migrate')
    .description('apply pending migrations')
    .action(() => runMigrate(kit.config()));
  db.command('migration <name>')
    .description('create a migration from changes to prisma/schema.prisma')
    .action((name: string) => runCreateMigration(name));
}
