export interface RoundRobinProxy {
  readonly url: string;
  readonly port: number;
  readonly stats: {
    requests: number;
    retries: number;
    failures: number;
    readonly perUpstream: Map<string, number>;
  };
  setUpstreams(list: readonly string[]): void;
  close(): Promise<void>;
}

export function startRoundRobinProxy(options?: {
  readonly upstreams?: readonly string[];
  readonly port?: number;
}): Promise<RoundRobinProxy>;
