import { Global, Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { DataKeys } from './data-keys.service.js';
import { KmsProvider } from './kms-provider.js';
import { loadLocalKeyring, LocalKmsProvider } from './local-kms.provider.js';
import { PlatformKeyRepository } from './platform-key.repository.js';
import { PlatformSecrets } from './platform-secrets.contract.js';
import { TenantVaultRepository } from './tenant-vault.repository.js';
import { VaultMetrics } from './vault-metrics.js';
import { VaultPlatformSecrets } from './vault-platform-secrets.js';
import { VaultRotationService } from './vault-rotation.service.js';
import { VaultService } from './vault.service.js';

/**
 * The vault, global: `PlatformSecrets` for platform-owned secrets, `VaultService` for connection secrets,
 * `VaultRotationService` for KEK and data-key rotation, `VaultMetrics` for telemetry. The KMS provider is
 * the local one (KEK from config or the data folder); another implementation of `KmsProvider` replaces it
 * here. A KEK that cannot be had stops boot.
 */
@Global()
@Module({
  providers: [
    {
      provide: KmsProvider,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<KmsProvider> => {
        const logger = new Logger('Vault');
        const provider = new LocalKmsProvider(
          await loadLocalKeyring(config, { warn: (m) => logger.warn(m) }),
        );
        const d = provider.describe();
        logger.log(
          `key-encryption key ${d.activeKekId} from ${d.source}` +
            (d.previousKekIds.length > 0
              ? `; earlier keys accepted for unwrapping: ${d.previousKekIds.join(', ')}`
              : ''),
        );
        return provider;
      },
    },
    VaultMetrics,
    TenantVaultRepository,
    PlatformKeyRepository,
    DataKeys,
    VaultService,
    VaultRotationService,
    { provide: PlatformSecrets, useClass: VaultPlatformSecrets },
  ],
  exports: [PlatformSecrets, VaultService, VaultRotationService, VaultMetrics, KmsProvider],
})
export class VaultModule {}
