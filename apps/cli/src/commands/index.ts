import type { Command } from 'commander';
import type { CliKit } from '../kit.js';
import { registerTenantCommands } from './tenant.command.js';
import { registerEndpointCommands } from './endpoint.command.js';
import { registerPackCommands } from './pack.command.js';
import { registerMemberCommands } from './member.command.js';
import { registerKeyCommands } from './key.command.js';
import { registerDbCommands } from './db.command.js';

/** Every command group; add a module's commands by adding its registrar here. */
export const COMMAND_GROUPS: readonly ((program: Command, kit: CliKit) => void)[] = [
  registerTenantCommands,
  registerEndpointCommands,
  registerPackCommands,
  registerMemberCommands,
  registerKeyCommands,
  registerDbCommands,
];
