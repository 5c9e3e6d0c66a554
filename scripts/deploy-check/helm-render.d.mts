export function mergeValues(base: unknown, over: unknown): unknown;
export function toYaml(v: unknown): string;
export function renderChart(
  chartDir: string,
  options?: {
    readonly values?: Record<string, unknown>;
    readonly releaseName?: string;
    readonly namespace?: string;
    readonly apiVersions?: readonly string[];
    readonly kubeVersion?: string;
  },
): {
  documents: {
    source: string;
    object: { kind: string; metadata: { name: string } } & Record<string, unknown>;
  }[];
  notes: string;
  values: Record<string, unknown>;
};
