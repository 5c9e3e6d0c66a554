import { userInfo } from 'node:os';
import type { AuditActor } from '../../../src/audit/audit.contract.js';

/** Changes made through the CLI are audited as the operating-system user who ran it. */
export function cliActor(): AuditActor {
  try {
    return { type: 'cli', id: userInfo().username };
  } catch {
    // No passwd entry (some containers): the numeric uid still says who it was.
    return { type: 'cli', id: typeof process.getuid === 'function' ? `uid:${process.getuid()}` : null };
  }
}
