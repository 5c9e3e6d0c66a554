import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';

import { AccessTokenVerifier } from '../auth/access-token.verifier.js';
import { ClusterJobs } from '../cluster/cluster-jobs.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { InvalidationBus } from '../redis/invalidation-bus.js';
import { OAuthServer } from './oauth-server.service.js';
import { SigningKeysService } from './signing-keys.service.js';
import { SigningKeyRepository } from './store/signing-key.repository.js';

/** Bus topic: the set of token signing keys changed; every node reloads its provider and verifier. */
export const SIGNING_KEYS_CHANGED = 'oauth.signing-keys-changed';

const CHECK_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Rotates the authorization server's signing key when it is SWITCHBOARD_SIGNING_KEY_ROTATION_DAYS old:
 * a cluster job (the leader checks hourly), so one key is made per rotation however many nodes run.
 * Every node then reloads the keys (the new one signs, the previous one still verifies); keys older than
 * those two are retired, long after every token they signed expired (access tokens live at most a day).
 */
@Injectable()
export class SigningKeyRotationService implements OnApplicationBootstrap {
  static readonly JOB = 'oauth.rotate-signing-key';
  private readonly logger = new Logger(SigningKeyRotationService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: SigningKeyRepository,
    private readonly signingKeys: SigningKeysService,
    private readonly server: OAuthServer,
    private readonly verifier: AccessTokenVerifier,
    private readonly bus: InvalidationBus,
    @Optional() private readonly jobs?: ClusterJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.bus.on(SIGNING_KEYS_CHANGED, () => void this.reload());
    if (this.config.oauth.signingKeyRotationDays <= 0) return;
    this.jobs?.register({
      name: SigningKeyRotationService.JOB,
      everyMs: CHECK_EVERY_MS,
      run: () => this.rotateIfDue(),
    });
  }

  /** Rotates when the signing key is older than the configured age; returns the new key id, if any. */
  async rotateIfDue(now = new Date()): Promise<string | null> {
    const days = this.config.oauth.signingKeyRotationDays;
    if (days <= 0) return null;
    const [signing] = await this.keys.listActive();
    if (signing && now.getTime() - signing.createdAt.getTime() < days * DAY_MS) return null;
    const { kid, retired } = await this.signingKeys.rotate();
    this.logger.log({ msg: 'token signing key rotated', kid, retired });
    await this.bus.publish(SIGNING_KEYS_CHANGED, { kid });
    return kid;
  }

  private async reload(): Promise<void> {
    this.verifier.invalidateKeys();
    await this.server
      .reloadSigningKeys()
      .catch((e: unknown) =>
        this.logger.error({ msg: 'could not reload the token signing keys', err: (e as Error).message }),
      );
  }
}
