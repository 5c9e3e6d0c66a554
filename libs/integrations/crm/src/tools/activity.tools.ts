import { structuredResult, type ToolDefinition } from '@switchboard/integration-kit';
import * as z from 'zod';

import { recordLine, stageText } from '../core/render.js';
import {
  activityOutput,
  CREATE,
  objectType,
  ownerArg,
  recordId,
  stageMoveOutput,
  UPDATE,
} from './schemas.js';
import { parseArgs, toolCall, type CrmToolDeps } from './tool-runtime.js';

const dateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'an ISO 8601 date or date-time',
  )
  .refine((v) => !Number.isNaN(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v)), 'a real date')
  .transform((v) => new Date(v.length === 10 ? `${v}T09:00:00Z` : v).toISOString());

const moveInput = z
  .object({
    deal_id: recordId,
    stage: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe('Target stage name (e.g. "Contract sent") or stage id.'),
    pipeline: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe("Target pipeline name or id; the deal's current pipeline when omitted."),
  })
  .strict();

const noteInput = z
  .object({
    type: objectType.describe('What the note is about: "contact", "company" or "deal".'),
    id: recordId,
    body: z.string().trim().min(1).max(10_000).describe('The note, in plain text (line breaks kept).'),
    timestamp: dateTime.optional().describe('When it happened (ISO 8601); now when omitted.'),
  })
  .strict();

const taskInput = z
  .object({
    type: objectType.describe('What the task is about: "contact", "company" or "deal".'),
    id: recordId,
    subject: z.string().trim().min(1).max(500).describe('Short title, e.g. "Send the revised proposal".'),
    body: z.string().trim().min(1).max(10_000).optional().describe('Details, in plain text.'),
    due: dateTime
      .optional()
      .describe('Due date (ISO 8601; a bare date means 09:00 UTC that day); 24 hours from now when omitted.'),
    priority: z.enum(['low', 'medium', 'high']).default('medium'),
    task_type: z.enum(['todo', 'call', 'email']).default('todo'),
    owner: ownerArg
      .optional()
      .describe('Who should do it: a user email or owner id; unassigned when omitted.'),
  })
  .strict();

export function activityTools(deps: CrmToolDeps): ToolDefinition[] {
  const move: ToolDefinition = {
    name: 'crm_move_deal_stage',
    title: 'Move a deal to a stage',
    description:
      `Moves a ${deps.vendor} deal to another stage of its pipeline (or, with \`pipeline\`, of another pipeline). The stage is checked against the pipeline: an unknown name is refused with the list of valid stages. ` +
      'Returns the stage before and after; moving a deal to the stage it is already in changes nothing. Example: {"deal_id": "9507711", "stage": "Closed won"}.',
    inputSchema: moveInput,
    outputSchema: stageMoveOutput,
    annotations: { title: 'Move a deal to a stage', ...UPDATE },
    permission: 'write',
    handler: (raw, ctx) =>
      toolCall(ctx, 'crm_move_deal_stage', async () => {
        const args = parseArgs(moveInput, raw);
        const moved = await (
          await deps.backend(ctx)
        ).moveDealToStage(args.deal_id, args.stage, args.pipeline);
        const text = moved.changed
          ? `Moved "${moved.deal.name}" from ${stageText(moved.from ?? undefined) ?? 'no stage'} to ${stageText(moved.to)}.`
          : `"${moved.deal.name}" is already in ${stageText(moved.to)}; nothing changed.`;
        return structuredResult(
          {
            deal: { ...moved.deal },
            from: moved.from ? { ...moved.from } : null,
            to: { ...moved.to },
            changed: moved.changed,
          },
          `${text}\n${recordLine(moved.deal)}`,
        );
      }),
  };

  const note: ToolDefinition = {
    name: 'crm_log_note',
    title: 'Log a note',
    description:
      `Adds a note to a ${deps.vendor} contact, company or deal timeline, e.g. a call summary or meeting outcome the user dictates. ` +
      'Returns the saved note. Example: {"type": "deal", "id": "9507711", "body": "Spoke with Carla: legal review done, signature expected Friday."}.',
    inputSchema: noteInput,
    outputSchema: activityOutput,
    annotations: { title: 'Log a note', ...CREATE },
    permission: 'write',
    handler: (raw, ctx) =>
      toolCall(ctx, 'crm_log_note', async () => {
        const args = parseArgs(noteInput, raw);
        const activity = await (
          await deps.backend(ctx)
        ).logNote({ type: args.type, id: args.id }, args.body, args.timestamp);
        return structuredResult(
          { activity: { ...activity }, on: { type: args.type, id: args.id } },
          `Logged note ${activity.id} on ${args.type} ${args.id}${activity.timestamp ? ` at ${activity.timestamp}` : ''}.`,
        );
      }),
  };

  const task: ToolDefinition = {
    name: 'crm_create_task',
    title: 'Create a follow-up task',
    description:
      `Creates a ${deps.vendor} task (a to-do, call or email reminder) on a contact, company or deal, optionally assigned to a user by email. ` +
      'Returns the task with its id. Example: {"type": "contact", "id": "51", "subject": "Call back about pricing", "due": "2024-07-02T15:00:00Z", "task_type": "call", "priority": "high"}.',
    inputSchema: taskInput,
    outputSchema: activityOutput,
    annotations: { title: 'Create a follow-up task', ...CREATE },
    permission: 'write',
    handler: (raw, ctx) =>
      toolCall(ctx, 'crm_create_task', async () => {
        const args = parseArgs(taskInput, raw);
        const dueAt = args.due ?? new Date(Date.now() + 24 * 3600_000).toISOString();
        const activity = await (
          await deps.backend(ctx)
        ).createTask(
          { type: args.type, id: args.id },
          {
            subject: args.subject,
            ...(args.body !== undefined && { body: args.body }),
            dueAt,
            priority: args.priority,
            taskType: args.task_type,
            ...(args.owner !== undefined && { ownerId: args.owner }),
          },
        );
        return structuredResult(
          { activity: { ...activity }, on: { type: args.type, id: args.id } },
          `Created task ${activity.id} "${args.subject}" on ${args.type} ${args.id}, due ${dueAt}.`,
        );
      }),
  };

  return [move, note, task];
}
