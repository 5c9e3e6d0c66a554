import type { ToolDefinition } from '@switchboard/integration-kit';

import { activityTools } from './activity.tools.js';
import { findTools } from './find.tools.js';
import { recordTools } from './record.tools.js';
import type { CrmToolDeps } from './tool-runtime.js';
import { writeTools } from './write.tools.js';

/** Every CRM tool, in the order a model meets them: find, read, write, act. */
export function crmTools(deps: CrmToolDeps): ToolDefinition[] {
  return [...findTools(deps), ...recordTools(deps), ...writeTools(deps), ...activityTools(deps)];
}
