import type { Command } from 'commander';
import type { CliKit } from '../kit.js';
import { registerTenantCommands } from './tenant.command.js';
import { registerEndpointCommands } from './endpoint.command.js';
import { registerPackCommands } from './pack.command.js';
import { registerMemberCommands } from './member.command.js';
import { registerKeyCommands } from './key.command.js';
import { registerUserCommands } from './user.command.js';
import { registerDbCommands } from './db.command.js';
import { registerAuditCommands } from './audit.command.js';
import { registerVaultCommands } from './vault.command.js';
import { registerConnectionCommands } from './connection.command.js';
import { registerPlanCommands } from './plan.command.js';
import { registerIdpCommands } from './idp.command.js';
import { registerCheckCommands } from './check.command.js';
import { registerOperatorCommands } from './operator.command.js';

/** Every command group; add a module's commands by adding its registrar here. */
export const COMMAND_GROUPS: readonly ((program: Command, kit: CliKit) => void)[] = [
  registerTenantCommands,
  registerEndpointCommands,
  registerPackCommands,
  registerMemberCommands,
  registerKeyCommands,
  registerUserCommands,
  registerDbCommands,
  registerAuditCommands,
  registerConnectionCommands,
  registerVaultCommands,
  registerPlanCommands,
  registerIdpCommands,
  registerCheckCommands,
  registerOperatorCommands,
];
