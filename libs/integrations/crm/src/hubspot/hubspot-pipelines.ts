import * as z from 'zod';

import { CrmError } from '../core/crm.errors.js';
import type { DealStage, Pipeline, PipelineStage } from '../core/crm.types.js';
import { clip } from '../core/text.js';
import type { HubSpotSession } from './hubspot-session.js';

const stageSchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  displayOrder: z.number(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
const pipelinesSchema = z.object({
  results: z.array(
    z.object({
      id: z.string().min(1),
      label: z.string(),
      displayOrder: z.number(),
      stages: z.array(stageSchema),
    }),
  ),
});

function toStage(raw: z.output<typeof stageSchema>): PipelineStage {
  const meta = raw.metadata ?? {};
  const closed = String(meta.isClosed ?? 'false') === 'true';
  const probability = meta.probability === undefined ? null : Number(meta.probability);
  const p = probability === null || Number.isNaN(probability) ? null : probability;
  return {
    id: raw.id,
    label: clip(raw.label, 200),
    order: raw.displayOrder,
    probability: p,
    closed,
    won: closed ? p === 1 : null,
  };
}

/** The account's deal pipelines with their stages, in display order. */
export async function loadDealPipelines(session: HubSpotSession): Promise<Pipeline[]> {
  const raw = await session.call('the pipelines request', (api) => api.pipelines.getAll('deals'));
  const { results } = session.check(pipelinesSchema, raw, 'the pipelines request');
  return [...results]
    .sort((a, b) => a.displayOrder - b.displayOrder)
    .map((p) => ({
      id: p.id,
      label: clip(p.label, 200),
      stages: [...p.stages].sort((a, b) => a.displayOrder - b.displayOrder).map(toStage),
    }));
}

function same(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function findPipeline(pipelines: readonly Pipeline[], ref: string): Pipeline {
  const found = pipelines.find((p) => p.id === ref) ?? pipelines.find((p) => same(p.label, ref));
  if (!found) {
    throw new CrmError(
      'validation',
      `There is no deal pipeline "${clip(ref, 100)}". Pipelines: ${pipelines.map((p) => `"${p.label}" (${p.id})`).join(', ') || 'none'}.`,
    );
  }
  return found;
}

function stageList(pipeline: Pipeline): string {
  return pipeline.stages.map((s) => `"${s.label}" (${s.id})`).join(', ');
}

/** A stage by id or label within one pipeline, or a validation error that lists the pipeline's stages. */
export function findStage(pipeline: Pipeline, ref: string, pipelines: readonly Pipeline[]): PipelineStage {
  const found = pipeline.stages.find((s) => s.id === ref) ?? pipeline.stages.find((s) => same(s.label, ref));
  if (found) return found;
  const elsewhere = pipelines.filter(
    (p) => p.id !== pipeline.id && p.stages.some((s) => s.id === ref || same(s.label, ref)),
  );
  const hint =
    elsewhere.length > 0
      ? ` A stage of that name is in the pipeline ${elsewhere.map((p) => `"${p.label}"`).join(', ')}: pass that pipeline to move the deal there.`
      : '';
  throw new CrmError(
    'validation',
    `The pipeline "${pipeline.label}" has no stage "${clip(ref, 100)}". Its stages: ${stageList(pipeline)}.${hint}`,
  );
}

/** Every stage id matching a label or id, across pipelines (or within one). */
export function stageIdsFor(pipelines: readonly Pipeline[], ref: string): string[] {
  const ids: string[] = [];
  for (const p of pipelines) for (const s of p.stages) if (s.id === ref || same(s.label, ref)) ids.push(s.id);
  return ids;
}

export function dealStage(pipelines: readonly Pipeline[], pipelineId: string, stageId: string): DealStage {
  const pipeline = pipelines.find((p) => p.id === pipelineId);
  const stage = pipeline?.stages.find((s) => s.id === stageId);
  return {
    pipelineId,
    pipelineLabel: pipeline?.label ?? null,
    stageId,
    stageLabel: stage?.label ?? null,
    closed: stage?.closed ?? null,
    won: stage?.won ?? null,
  };
}

export interface ResolvedStage {
  readonly pipeline: Pipeline;
  readonly stage: PipelineStage;
}

/**
 * Resolves the pipeline and stage a deal should be in: the stage within the given pipeline (else within
 * `current`, the deal's own), by id or label. Without either, the first pipeline's first stage.
 */
export function resolveStage(
  pipelines: readonly Pipeline[],
  stageRef: string | undefined,
  pipelineRef: string | undefined,
  current?: string,
): ResolvedStage {
  if (pipelines.length === 0) throw new CrmError('validation', 'This HubSpot account has no deal pipelines.');
  if (pipelineRef === undefined && current === undefined && stageRef !== undefined) {
    // No pipeline named: a stage that exists in exactly one pipeline decides it.
    const matches = pipelines.filter((p) =>
      p.stages.some((s) => s.id === stageRef || same(s.label, stageRef)),
    );
    if (matches.length === 1) {
      const pipeline = matches[0]!;
      return { pipeline, stage: findStage(pipeline, stageRef, pipelines) };
    }
    if (matches.length > 1 && !matches.every((p) => p.id === pipelines[0]!.id)) {
      throw new CrmError(
        'validation',
        `The stage "${clip(stageRef, 100)}" exists in several pipelines (${matches.map((p) => `"${p.label}"`).join(', ')}); say which pipeline.`,
      );
    }
  }
  const pipeline =
    pipelineRef !== undefined
      ? findPipeline(pipelines, pipelineRef)
      : current !== undefined
        ? findPipeline(pipelines, current)
        : pipelines[0]!;
  if (stageRef === undefined) {
    const first = pipeline.stages[0];
    if (!first) throw new CrmError('validation', `The pipeline "${pipeline.label}" has no stages.`);
    return { pipeline, stage: first };
  }
  return { pipeline, stage: findStage(pipeline, stageRef, pipelines) };
}
