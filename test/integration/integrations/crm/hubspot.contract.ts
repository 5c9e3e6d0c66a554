import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReadResourceResult } from '@modelcontextprotocol/server';
import {
  createHubSpotPack,
  HubSpotTokenCache,
  PRIVATE_APP_TOKEN_SECRET,
  RateLimitGate,
  type HubSpotConfig,
} from '@switchboard/crm';
import type { PackSurface, ToolPack } from '@switchboard/integration-kit';

import {
  callContext,
  callTool,
  eventually,
  Fixtures,
  ok,
  type HubSpotTarget,
  type LogLine,
} from './support.js';

interface RecordOut {
  id: string;
  name: string;
  type: string;
  properties: Record<string, string>;
  stage?: { stageId: string; stageLabel: string | null; pipelineId: string };
}
interface PipelineOut {
  id: string;
  label: string;
  stages: { id: string; label: string; closed: boolean }[];
}

const READ_TOOLS = [
  'crm_find_contacts',
  'crm_find_companies',
  'crm_find_deals',
  'crm_get_record',
  'crm_list_pipelines',
];
const WRITE_TOOLS = [
  'crm_create_contact',
  'crm_create_company',
  'crm_create_deal',
  'crm_update_contact',
  'crm_update_company',
  'crm_update_deal',
  'crm_move_deal_stage',
  'crm_log_note',
  'crm_create_task',
];

/**
 * The HubSpot contract cases, run against a target: the local server that follows HubSpot's documented
 * API (test/integration), or the real API with HUBSPOT_TOKEN (test/live). Every case makes its own
 * records (tagged with a run id) and everything is archived afterwards.
 */
export function describeHubSpotContract(
  label: string,
  start: () => Promise<HubSpotTarget>,
  stop: (target: HubSpotTarget) => Promise<void>,
): void {
  describe(`HubSpot contract: ${label}`, () => {
    const tag = `sb${randomBytes(5).toString('hex')}`;
    let target: HubSpotTarget;
    let fx: Fixtures;
    let pack: ToolPack<HubSpotConfig>;
    let surface: PackSurface<HubSpotConfig>;
    const logs: LogLine[] = [];
    const ctx = () =>
      callContext({ baseUrl: target.baseUrl }, { [PRIVATE_APP_TOKEN_SECRET]: target.token }, logs);
    const call = (name: string, args: Record<string, unknown>) => callTool(surface, name, args, ctx());
    let companyId = '';
    let contactIds: string[] = [];
    let pipelines: PipelineOut[] = [];

    beforeAll(async () => {
      target = await start();
      fx = new Fixtures(target);
      pack = createHubSpotPack({
        http: target.http,
        gate: new RateLimitGate(),
        tokens: new HubSpotTokenCache(),
      });
      surface = await pack.surface(ctx());
      companyId = await fx.create('companies', {
        name: `Tagco ${tag}`,
        domain: `${tag}.example.com`,
        city: 'Cambridge',
      });
      contactIds = [];
      for (const [first, n] of [
        ['Ada', 1],
        ['Grace', 2],
        ['Alan', 3],
      ] as const) {
        contactIds.push(
          await fx.create(
            'contacts',
            {
              email: `${first.toLowerCase()}.${tag}@example.com`,
              firstname: first,
              lastname: tag,
              jobtitle: `Engineer ${n}`,
            },
            [{ toId: companyId, typeId: 279 }],
          ),
        );
      }
      pipelines = (ok(await call('crm_list_pipelines', {})).data.pipelines as PipelineOut[]) ?? [];
    });

    afterAll(async () => {
      await fx?.cleanup();
      if (target) await stop(target);
      // Secrets never reach a log line.
      expect(JSON.stringify(logs)).not.toContain(target.token);
    });

    it('offers the crm_* tools with schemas, annotations and permissions a model can rely on', () => {
      expect(surface.tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
      for (const tool of surface.tools) {
        const write = WRITE_TOOLS.includes(tool.name);
        expect(tool.permission).toBe(write ? 'write' : 'read');
        expect(tool.annotations.readOnlyHint).toBe(!write);
        expect(tool.annotations.openWorldHint).toBe(true);
        expect(tool.outputSchema).toBeDefined();
        expect(tool.description.length).toBeGreaterThan(80);
        const schema = tool.inputSchema['~standard'].jsonSchema.input({ target: 'draft-07' }) as {
          properties?: Record<string, unknown>;
        };
        expect(schema).toMatchObject({ type: 'object' });
      }
      expect(surface.resources?.map((r) => r.name)).toEqual([
        'crm_contacts_properties',
        'crm_companies_properties',
        'crm_deals_properties',
      ]);
      expect(surface.prompts?.map((p) => p.name)).toEqual([
        'crm_summarize_customer_activity',
        'crm_weekly_pipeline_review',
      ]);
    });

    it('passes the connection test with a cheap authenticated read', async () => {
      const result = await pack.test!(ctx());
      expect(result).toMatchObject({ ok: true });
      expect(result.message).toContain('HubSpot');
    });

    it('finds contacts by free text, page by page, and by a property filter', async () => {
      const first = await eventually(target.searchLagMs, async () => {
        const r = ok(await call('crm_find_contacts', { query: tag, limit: 2 }));
        return (r.data.total as number) >= 3 ? r : null;
      });
      expect(first.data.total).toBe(3);
      expect(first.data.returned).toBe(2);
      expect(typeof first.data.nextCursor).toBe('string');
      const second = ok(
        await call('crm_find_contacts', { query: tag, limit: 2, cursor: first.data.nextCursor }),
      );
      expect(second.data.returned).toBe(1);
      expect(second.data.nextCursor).toBeNull();
      const seen = [...(first.data.records as RecordOut[]), ...(second.data.records as RecordOut[])].map(
        (r) => r.id,
      );
      expect(seen.sort()).toEqual([...contactIds].sort());
      expect(first.text).toContain(`3 contacts matching "${tag}"`);

      const byEmail = ok(
        await call('crm_find_contacts', {
          filters: [{ property: 'email', operator: 'eq', value: `grace.${tag}@example.com` }],
          properties: ['jobtitle'],
        }),
      );
      const records = byEmail.data.records as RecordOut[];
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ id: contactIds[1], name: `Grace ${tag}`, type: 'contact' });
      expect(records[0]!.properties.jobtitle).toBe('Engineer 2');
    });

    it('finds companies by a property filter and returns asked-for properties', async () => {
      const found = await eventually(target.searchLagMs, async () => {
        const r = ok(
          await call('crm_find_companies', {
            filters: [{ property: 'domain', operator: 'eq', value: `${tag}.example.com` }],
            properties: ['city'],
          }),
        );
        return (r.data.records as RecordOut[]).length > 0 ? r : null;
      });
      expect(found.data.records).toEqual([
        expect.objectContaining({
          id: companyId,
          name: `Tagco ${tag}`,
          properties: expect.objectContaining({ city: 'Cambridge' }),
        }),
      ]);
    });

    it('lists deal pipelines with ordered stages', () => {
      expect(pipelines.length).toBeGreaterThan(0);
      const stages = pipelines[0]!.stages;
      expect(stages.length).toBeGreaterThan(2);
      expect(stages.some((s) => s.closed)).toBe(true);
    });

    it('creates a deal by stage name, finds it by stage, and moves it through the pipeline', async () => {
      const pipeline = pipelines[0]!;
      const open = pipeline.stages.filter((s) => !s.closed);
      const created = ok(
        await call('crm_create_deal', {
          name: `Deal ${tag}`,
          amount: 4200,
          close_date: '2030-06-30',
          stage: open[0]!.label,
          pipeline: pipeline.label,
          associate_with: [
            { type: 'company', id: companyId },
            { type: 'contact', id: contactIds[0] },
          ],
        }),
      );
      const deal = created.data.record as RecordOut;
      fx.track('deals', deal.id);
      expect(deal.stage).toMatchObject({
        pipelineId: pipeline.id,
        stageId: open[0]!.id,
        stageLabel: open[0]!.label,
      });
      expect(deal.properties.amount).toBe('4200');

      const found = await eventually(target.searchLagMs, async () => {
        const r = ok(
          await call('crm_find_deals', { query: tag, stage: open[0]!.label, pipeline: pipeline.id }),
        );
        return (r.data.records as RecordOut[]).some((d) => d.id === deal.id) ? r : null;
      });
      expect(found.text).toContain(`Deal ${tag}`);

      const moved = ok(
        await call('crm_move_deal_stage', { deal_id: deal.id, stage: open[1]!.label.toUpperCase() }),
      );
      expect(moved.data).toMatchObject({
        changed: true,
        from: { stageId: open[0]!.id },
        to: { stageId: open[1]!.id },
      });
      expect(moved.text).toContain(`to ${open[1]!.label}`);
      const again = ok(await call('crm_move_deal_stage', { deal_id: deal.id, stage: open[1]!.id }));
      expect(again.data.changed).toBe(false);
      const refused = await call('crm_move_deal_stage', { deal_id: deal.id, stage: 'Negotiating on Mars' });
      expect(refused.result.isError).toBe(true);
      expect(refused.text).toContain(`has no stage "Negotiating on Mars"`);
      expect(refused.text).toContain(open[0]!.label);

      const updated = ok(await call('crm_update_deal', { id: deal.id, amount: 5000 }));
      expect((updated.data.record as RecordOut).properties.amount).toBe('5000');
    });

    it('reads a record with its associations and recent activity, including a logged note and task', async () => {
      const note = ok(
        await call('crm_log_note', {
          type: 'company',
          id: companyId,
          body: `Call with ${tag}: budget approved.\nNext: legal.`,
        }),
      );
      fx.track('notes', (note.data.activity as { id: string }).id);
      expect(note.data).toMatchObject({ activity: { type: 'note' }, on: { type: 'company', id: companyId } });
      const task = ok(
        await call('crm_create_task', {
          type: 'company',
          id: companyId,
          subject: `Send contract to ${tag}`,
          due: '2030-01-15',
          priority: 'high',
          task_type: 'email',
        }),
      );
      fx.track('tasks', (task.data.activity as { id: string }).id);
      expect(task.data.activity).toMatchObject({
        type: 'task',
        title: `Send contract to ${tag}`,
        status: 'NOT_STARTED',
      });

      const detail = ok(await call('crm_get_record', { type: 'company', id: companyId, activity_limit: 10 }));
      expect((detail.data.record as RecordOut).name).toBe(`Tagco ${tag}`);
      const related = detail.data.related as { type: string; total: number; records: RecordOut[] }[];
      expect(related.find((g) => g.type === 'contact')?.total).toBe(3);
      expect(related.find((g) => g.type === 'deal')?.records.map((d) => d.name)).toEqual([`Deal ${tag}`]);
      const activity = detail.data.activity as { type: string; body: string | null; title: string | null }[];
      expect(activity.find((a) => a.type === 'note')?.body).toBe(
        `Call with ${tag}: budget approved.\nNext: legal.`,
      );
      expect(activity.find((a) => a.type === 'task')?.title).toBe(`Send contract to ${tag}`);
      expect(detail.text).toContain('budget approved');
      expect(detail.text).toContain(`Send contract to ${tag}`);
    });

    it('creates and updates contacts and companies', async () => {
      const contact = ok(
        await call('crm_create_contact', {
          email: `new.${tag}@example.com`,
          first_name: 'Katherine',
          last_name: tag,
          job_title: 'CFO',
          associate_with: [{ type: 'company', id: companyId }],
        }),
      );
      const c = contact.data.record as RecordOut;
      fx.track('contacts', c.id);
      expect(c).toMatchObject({
        name: `Katherine ${tag}`,
        properties: expect.objectContaining({ jobtitle: 'CFO' }),
      });
      const updated = ok(
        await call('crm_update_contact', { id: c.id, job_title: 'CEO', phone: '+1 617 555 0100' }),
      );
      expect((updated.data.record as RecordOut).properties).toMatchObject({
        jobtitle: 'CEO',
        phone: '+1 617 555 0100',
      });

      const company = ok(
        await call('crm_create_company', { name: `Second ${tag}`, domain: `second-${tag}.example.com` }),
      );
      const co = company.data.record as RecordOut;
      fx.track('companies', co.id);
      const changed = ok(
        await call('crm_update_company', {
          id: co.id,
          city: 'Boston',
          properties: { numberofemployees: 42 },
        }),
      );
      expect((changed.data.record as RecordOut).properties).toMatchObject({
        city: 'Boston',
        numberofemployees: '42',
      });
    });

    it("relays HubSpot's validation message and a missing record as tool errors", async () => {
      const bad = await call('crm_create_contact', {
        email: `bad.${tag}@example.com`,
        properties: { sb_no_such_property: 'x' },
      });
      expect(bad.result.isError).toBe(true);
      expect(bad.text).toContain('HubSpot rejected the request');
      expect(bad.text).toContain('sb_no_such_property');

      const missing = await call('crm_get_record', { type: 'contact', id: '999999999999' });
      expect(missing.result.isError).toBe(true);
      expect(missing.text).toContain('HubSpot has no contact with id 999999999999');
    });

    it('tells the user an admin must reconnect when the token is refused, without showing it', async () => {
      const wrong = `pat-na1-${randomBytes(16).toString('hex')}`;
      const bad = callContext({ baseUrl: target.baseUrl }, { [PRIVATE_APP_TOKEN_SECRET]: wrong }, logs);
      const result = await callTool(surface, 'crm_find_contacts', { query: 'x' }, bad);
      expect(result.result.isError).toBe(true);
      expect(result.text).toContain('HTTP 401');
      expect(result.text).toContain('must reconnect the HubSpot connection "Sales HubSpot"');
      expect(JSON.stringify(result.result)).not.toContain(wrong);
      const test = await pack.test!(bad);
      expect(test.ok).toBe(false);
      expect(test.message).toContain('reconnect');
      expect(JSON.stringify(logs)).not.toContain(wrong);
    });

    it('describes the portal properties in a resource', async () => {
      const resource = surface.resources!.find((r) => r.name === 'crm_contacts_properties')!;
      const read = (await resource.read(new URL(resource.uri), ctx())) as ReadResourceResult;
      const body = JSON.parse((read.contents[0] as { text: string }).text) as {
        objectType: string;
        custom: { name: string }[];
        standard: { name: string; type: string }[];
      };
      expect(body.objectType).toBe('contact');
      expect(body.standard.map((p) => p.name)).toEqual(
        expect.arrayContaining(['email', 'firstname', 'lifecyclestage']),
      );
      expect(Array.isArray(body.custom)).toBe(true);
    });

    it('builds the customer-summary and pipeline-review prompts from live data', async () => {
      const summarize = surface.prompts!.find((p) => p.name === 'crm_summarize_customer_activity')!;
      const summary = await eventually(target.searchLagMs, async () => {
        const r = await summarize.get({ customer: `Tagco ${tag}`, days: '30' }, ctx());
        const text = (r.messages[0]!.content as { text: string }).text;
        return text.includes('budget approved') ? text : null;
      });
      expect(summary).toContain(`Tagco ${tag}`);
      expect(summary).toContain(`Deal ${tag}`);

      const review = surface.prompts!.find((p) => p.name === 'crm_weekly_pipeline_review')!;
      const r = await review.get({ pipeline: pipelines[0]!.label }, ctx());
      const text = (r.messages[0]!.content as { text: string }).text;
      expect(text).toContain(`"${pipelines[0]!.label}"`);
      expect(text).toContain('Open deals by stage');
      // A real account may hold more than the 100 largest open deals the review reads; the local one does not.
      if (target.searchLagMs === 0) expect(text).toContain(`Deal ${tag}`);
    });
  });
}
