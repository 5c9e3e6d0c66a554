import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { UserAccountsService } from '../auth/user-accounts.service.js';
import { ApiKeyService } from '../auth/api-key.service.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { TenancyService } from '../tenancy/tenancy.service.js';
import { WorkspaceService } from '../workspace/workspace.service.js';

export interface SeedResult {
  readonly tenant: string;
  readonly ownerEmail: string;
  readonly mcpUrl: string;
  readonly apiKey: string;
  /** The owner's first password for the sign-in page (shown once; change it with `user set-password`). */
  readonly ownerPassword: string;
}

export const DEMO_TENANT = 'demo';
export const DEMO_OWNER = 'owner@demo.localhost';

/** First run on an empty database: a demo tenant, its owner and an API key, so `npm start` is usable at once. */
@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenancy: TenancyService,
    private readonly apiKeys: ApiKeyService,
    private readonly workspace: WorkspaceService,
    private readonly accounts: UserAccountsService,
  ) {}

  async seedIfEmpty(): Promise<SeedResult | null> {
    if (!this.config.seedDemo) return null;
    const existing = await this.tenancy.listTenants({ take: 1 });
    if (existing.length > 0) return null;
    await this.tenancy.createTenant({ slug: DEMO_TENANT, name: 'Demo', ownerEmail: DEMO_OWNER });
    await this.workspace.setPrompt(DEMO_TENANT, {
      name: 'summarize-document',
      title: 'Summarize a document',
      description: 'Summarize a text for a busy reader, with the key decisions and open questions.',
      arguments: [{ name: 'text', description: 'The text to summarize', required: true }],
      template:
        'Summarize the following for a busy reader. List key decisions and open questions.\n\n{{text}}',
    });
    await this.workspace.setResource(DEMO_TENANT, {
      name: 'getting-started',
      title: 'Getting started with Switchboard',
      mimeType: 'text/markdown',
      content:
        '# Welcome\n\nThis endpoint is hosted by Switchboard. Connect integrations from the admin dashboard or the CLI.',
    });
    const { key } = await this.apiKeys.create(DEMO_TENANT, { name: 'first-run key', scopes: ['mcp'] });
    // So the owner can sign in when connecting from Claude; printed once by main.ts, stored only as argon2id.
    const ownerPassword = randomBytes(18).toString('base64url');
    await this.accounts.setPassword(DEMO_OWNER, ownerPassword);
    this.logger.log(`created demo tenant "${DEMO_TENANT}" with owner ${DEMO_OWNER}`);
    return {
      tenant: DEMO_TENANT,
      ownerEmail: DEMO_OWNER,
      mcpUrl: `${this.config.publicUrl}/t/${DEMO_TENANT}/mcp`,
      apiKey: key,
      ownerPassword,
    };
  }
}
