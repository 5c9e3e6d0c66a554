import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { OAuthPayloadRepository, StoredPayload } from './store/oauth-payload.repository.js';

export interface AdapterHooks {
  /** Rows of this model never expire on their own; they get this lifetime, renewed when used. */
  readonly clientTtlSeconds: number;
  /** A grant row was deleted (revocation, reuse detection, sweeping); tells caches and the audit trail. */
  onGrantDestroyed(
    grantId: string,
    info: { tenantId: string | null; accountId: string | null; clientId: string | null },
  ): void;
}

/**
 * oidc-provider's storage interface over one table (one instance per model name). Payloads are stored as
 * JSON; the columns oidc-provider looks rows up by (uid, grantId, userCode) are copied out of them.
 */
export function prismaAdapterFactory(repo: OAuthPayloadRepository, hooks: AdapterHooks) {
  return (model: string): Adapter => new PrismaOidcAdapter(model, repo, hooks);
}

class PrismaOidcAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly repo: OAuthPayloadRepository,
    private readonly hooks: AdapterHooks,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const now = Date.now();
    const seconds = this.model === 'Client' ? this.hooks.clientTtlSeconds : expiresIn;
    const p = payload as AdapterPayload & { accountId?: string; clientId?: string; client_id?: string };
    await this.repo.upsert(this.model, id, payload as StoredPayload, {
      expiresAt: seconds ? new Date(now + seconds * 1000) : null,
      uid: payload.uid ?? null,
      grantId: payload.grantId ?? null,
      userCode: payload.userCode ?? null,
      accountId: this.model === 'Grant' ? (p.accountId ?? null) : null,
      clientId:
        this.model === 'Grant' ? (p.clientId ?? null) : this.model === 'Client' ? (p.client_id ?? id) : null,
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return (await this.repo.find(this.model, id, new Date())) as AdapterPayload | undefined;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return (await this.repo.findBy(this.model, 'uid', uid, new Date())) as AdapterPayload | undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return (await this.repo.findBy(this.model, 'userCode', userCode, new Date())) as
      AdapterPayload | undefined;
  }

  async consume(id: string): Promise<void> {
    await this.repo.consume(this.model, id, new Date());
  }

  async destroy(id: string): Promise<void> {
    const removed = await this.repo.destroy(this.model, id);
    if (removed && this.model === 'Grant') this.hooks.onGrantDestroyed(id, removed);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.repo.revokeByGrantId(this.model, grantId);
  }
}
