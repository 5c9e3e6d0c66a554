import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import { createTlsInspector, type CheckFetch, type TlsInspector } from '@switchboard/checker';
import { EgressPolicy, GuardedHttpClient } from '@switchboard/http-client';

/**
 * How a check of someone else's MCP server reaches it: the URL is user input, so every request (and the
 * certificate inspection) goes through the platform's SSRF guard — public addresses only, unless the
 * operator's egress allow-list (`SWITCHBOARD_EGRESS_ALLOW`) opens more; cloud metadata never.
 */
@Injectable()
export class CheckEgress {
  readonly fetch: CheckFetch;
  readonly inspectTls: TlsInspector;

  constructor(client: GuardedHttpClient, policy: EgressPolicy) {
    this.fetch = client.fetch;
    const inspect = createTlsInspector({
      resolve: async (host) => {
        const [first] = await policy.resolve(host);
        if (!first) throw new Error(`${host} does not resolve`);
        return first.address;
      },
    });
    // The inspector resolves names through the policy; an address literal is checked here.
    this.inspectTls = async (host, port, opts) => {
      const bare = host.replace(/^\[|\]$/g, '');
      if (isIP(bare) !== 0) await policy.resolve(bare);
      return inspect(host, port, opts);
    };
  }
}
