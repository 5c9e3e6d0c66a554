import { ValueType, type HrTime } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type HistogramMetricData,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';

export type MetricSource = () => MetricData[];

/**
 * Metrics other modules already aggregate themselves (the audit writer keeps its own latency histogram),
 * handed to the readers as they are instead of being re-recorded. Sources are added by the Nest telemetry
 * module once those modules exist; the readers are built before Nest starts, so this is the stable object
 * they hold.
 */
export class ProducedMetrics implements MetricProducer {
  private readonly sources = new Set<MetricSource>();

  add(source: MetricSource): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }

  collect(): Promise<CollectionResult> {
    const metrics: MetricData[] = [];
    const errors: unknown[] = [];
    for (const source of this.sources) {
      try {
        metrics.push(...source());
      } catch (e) {
        errors.push(e);
      }
    }
    return Promise.resolve({
      // Readers replace a producer's resource with the SDK's own.
      resourceMetrics: {
        resource: emptyResource(),
        scopeMetrics: metrics.length > 0 ? [{ scope: { name: 'switchboard.controls' }, metrics }] : [],
      },
      errors,
    });
  }
}

export interface CumulativeHistogram {
  readonly count: number;
  readonly sum: number;
  readonly max: number;
  /** Cumulative counts per upper bound (Prometheus `le`), the last one +Inf. */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
}

/**
 * A cumulative histogram kept in some unit (e.g. milliseconds) as OpenTelemetry histogram data in another
 * (seconds): bucket counts become per-bucket (OpenTelemetry's form), bounds and sum are scaled.
 */
export function histogramMetric(
  name: string,
  description: string,
  unit: string,
  source: CumulativeHistogram,
  scale: number,
  startTime: HrTime,
): HistogramMetricData {
  const bounded = source.buckets.filter((b) => Number.isFinite(b.le));
  const boundaries = bounded.map((b) => b.le * scale);
  const counts: number[] = [];
  let previous = 0;
  for (const b of bounded) {
    counts.push(b.count - previous);
    previous = b.count;
  }
  counts.push(source.count - previous);
  return {
    descriptor: { name, description, unit, valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: [
      {
        attributes: {},
        startTime,
        endTime: hrTime(),
        value: {
          buckets: { boundaries, counts },
          sum: source.sum * scale,
          count: source.count,
          ...(source.count > 0 ? { max: source.max * scale } : {}),
        },
      },
    ],
  };
}
