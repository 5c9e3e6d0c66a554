import type { Activity, CrmRecord, DealStage, Owner, Pipeline, RecordDetail } from './crm.types.js';

const KEY_PROPERTIES: Record<CrmRecord['type'], readonly string[]> = {
  contact: ['email', 'phone', 'jobtitle', 'company', 'lifecyclestage'],
  company: ['domain', 'industry', 'city', 'country', 'lifecyclestage'],
  deal: ['amount', 'closedate'],
};

export function stageText(stage: DealStage | undefined): string | null {
  if (!stage) return null;
  const label = stage.stageLabel ?? stage.stageId;
  const pipeline = stage.pipelineLabel ?? stage.pipelineId;
  return `${label} (${pipeline}${stage.closed ? (stage.won ? ', won' : ', lost') : ''})`;
}

/** One line per record: name, the few properties a salesperson scans for, and the id to act on. */
export function recordLine(record: CrmRecord): string {
  const parts = KEY_PROPERTIES[record.type]
    .map((k) => record.properties[k])
    .filter((v): v is string => v !== undefined)
    .map((v) => v.replace(/\s+/g, ' '));
  const stage = stageText(record.stage);
  if (stage) parts.push(`stage: ${stage}`);
  return `- ${record.name}${parts.length > 0 ? ` · ${parts.join(' · ')}` : ''} · ${record.type} id ${record.id}`;
}

/** Record ids repeat the id already shown; everything else is listed. */
const NOT_LISTED = new Set(['hs_object_id']);

export function propertiesBlock(record: CrmRecord): string {
  const lines = Object.entries(record.properties)
    .filter(([k]) => !NOT_LISTED.has(k))
    .map(([k, v]) => `  ${k}: ${v.replace(/\s+/g, ' ')}`);
  return lines.join('\n');
}

export function activityLine(a: Activity): string {
  const when = a.timestamp ? a.timestamp.slice(0, 16).replace('T', ' ') : 'undated';
  const head = [a.title, a.status].filter(Boolean).join(' · ');
  const body = a.body ? a.body.replace(/\s+/g, ' ') : '';
  return `- ${when} ${a.type}${head ? ` — ${head}` : ''}${body ? `: ${body.length > 240 ? `${body.slice(0, 239)}…` : body}` : ''}`;
}

function ownerText(owner: Owner | null): string | null {
  if (!owner) return null;
  return owner.name && owner.email
    ? `${owner.name} <${owner.email}>`
    : (owner.name ?? owner.email ?? owner.id);
}

export function renderDetail(detail: RecordDetail, vendor: string, withActivity = true): string {
  const r = detail.record;
  const out = [`${r.name} (${vendor} ${r.type} ${r.id})${r.url ? ` ${r.url}` : ''}`];
  const stage = stageText(r.stage);
  if (stage) out.push(`Stage: ${stage}`);
  const owner = ownerText(detail.owner);
  if (owner) out.push(`Owner: ${owner}`);
  out.push('Properties:', propertiesBlock(r) || '  (none set)');
  for (const group of detail.related) {
    if (group.total === 0) continue;
    out.push(
      `Associated ${group.type === 'company' ? 'companies' : `${group.type}s`} (${group.total}${group.more ? '+' : ''}):`,
    );
    out.push(...group.records.map(recordLine));
  }
  if (withActivity && detail.activity.length > 0) {
    out.push(
      `Recent activity (${detail.activity.length} of ${detail.activityTotal}):`,
      ...detail.activity.map(activityLine),
    );
  } else if (withActivity) {
    out.push('No logged activity.');
  }
  for (const note of detail.notes) out.push(`Note: ${note}`);
  return out.join('\n');
}

export function renderPipelines(pipelines: readonly Pipeline[]): string {
  if (pipelines.length === 0) return 'No deal pipelines.';
  return pipelines
    .map((p) =>
      [
        `${p.label} (pipeline id ${p.id}):`,
        ...p.stages.map(
          (s) =>
            `  ${s.order}. ${s.label} (stage id ${s.id})${s.probability !== null ? ` · probability ${Math.round(s.probability * 100)}%` : ''}${s.closed ? (s.won ? ' · closed won' : ' · closed lost') : ''}`,
        ),
      ].join('\n'),
    )
    .join('\n');
}
