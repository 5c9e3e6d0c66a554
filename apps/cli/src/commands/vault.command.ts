import type { Command } from 'commander';
import { TenancyService } from '../../../../src/tenancy/tenancy.service.js';
import { prependNewKeyToFile } from '../../../../src/vault/local-kms.provider.js';
import { VaultRotationService, type VaultStatus } from '../../../../src/vault/vault-rotation.service.js';
import type { CliKit } from '../kit.js';

interface RotateOptions {
  batchSize?: string;
  max?: string;
}

/** Ctrl-C stops a rotation cleanly after its current batch; running the command again carries on. */
async function interruptible<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function limits(kit: CliKit, o: RotateOptions): { batchSize?: number; maxItems?: number } {
  return {
    batchSize: o.batchSize === undefined ? undefined : kit.positiveInt(o.batchSize, '--batch-size'),
    maxItems: o.max === undefined ? undefined : kit.positiveInt(o.max, '--max'),
  };
}

function describeStatus(s: VaultStatus): string {
  const lines = [
    `key-encryption key: ${s.kms.activeKekId} (${s.kms.provider}, from ${s.kms.source})`,
    ...(s.kms.previousKekIds.length > 0 ? [`earlier keys accepted: ${s.kms.previousKekIds.join(', ')}`] : []),
    `secrets: ${s.secrets} in ${s.tenantKeys.tenants} tenant(s); data keys: ${s.tenantKeys.live} live, ${s.tenantKeys.retired} retired`,
    `data keys per KEK: ${
      Object.entries({ ...s.tenantKeys.byKek })
        .map(([k, n]) => `${k}=${n}`)
        .join(', ') || '(none)'
    }; platform keys per KEK: ${
      Object.entries({ ...s.platformKeys.byKek })
        .map(([k, n]) => `${k}=${n}`)
        .join(', ') || '(none)'
    }`,
    s.awaitingRewrap > 0
      ? `${s.awaitingRewrap} key(s) still wrapped by an earlier KEK: run \`switchboard vault rotate-kek\``
      : 'every data key is wrapped by the active KEK',
  ];
  for (const r of s.rotations) {
    lines.push(
      `rotation in progress: tenant ${r.tenant} to version ${r.toVersion}, ${r.reencrypted} re-encrypted, ${r.remaining} remaining`,
    );
  }
  if (s.tenant) {
    lines.push('', 'VERSION  STATE     SECRETS  KEK');
    for (const v of s.tenant.versions) {
      lines.push(
        `${String(v.version).padEnd(9)}${v.state.padEnd(10)}${String(v.secrets).padEnd(9)}${v.kekId}`,
      );
    }
  }
  return lines.join('\n');
}

export function registerVaultCommands(program: Command, kit: CliKit): void {
  const vault = program.command('vault').description('the secrets vault: key status and rotation');
  vault
    .command('status')
    .description('key-encryption key, data keys per KEK, rotations in progress')
    .option('--tenant <slug>', "also list this tenant's data key versions")
    .action((o: { tenant?: string }, cmd: Command) =>
      kit.withContext(async (ctx) => {
        const scope =
          o.tenant === undefined
            ? undefined
            : { tenantId: (await ctx.get(TenancyService).getTenant(o.tenant)).id };
        const s = await ctx.get(VaultRotationService).status(scope);
        kit.out(cmd).result(s, () => describeStatus(s));
      }),
    );
  vault
    .command('rotate-kek')
    .description(
      're-wrap every data key under the active key-encryption key (secrets are not touched); resumable. ' +
        'With the KEK in the environment, first set SWITCHBOARD_MASTER_KEY to the new key and ' +
        'SWITCHBOARD_MASTER_KEY_PREVIOUS to the old one on every node',
    )
    .option('--new-key', 'generate a new KEK into the key file first (key file or embedded default only)')
    .option('--batch-size <n>', 'data keys per batch', '200')
    .option('--max <n>', 'stop after this many data keys (run again to continue)')
    .action((o: RotateOptions & { newKey?: boolean }, cmd: Command) =>
      interruptible(async (signal) => {
        const generated = o.newKey ? await prependNewKeyToFile(kit.config()) : null;
        await kit.withContext(async (ctx) => {
          const r = await ctx.get(VaultRotationService).rotateKek({ ...limits(kit, o), signal });
          kit
            .out(cmd)
            .result({ ...r, keyFile: generated?.path ?? null }, () =>
              [
                ...(generated
                  ? [`new key-encryption key ${generated.activeKekId} written to ${generated.path}`]
                  : []),
                `re-wrapped ${r.rewrapped.tenantKeys} tenant and ${r.rewrapped.platformKeys} platform data key(s) under ${r.activeKekId}`,
                r.status === 'paused'
                  ? `paused with ${r.remaining} left: run the command again to continue`
                  : r.remaining > 0
                    ? `${r.remaining} key(s) could not be re-wrapped: ${r.failures.map((f) => `${f.keyId} (${f.kekId}: ${f.reason})`).join(', ')}`
                    : 'done: earlier keys are no longer needed to unwrap data keys (keep them with your database backups)',
              ].join('\n'),
            );
        });
      }),
    );
  vault
    .command('rotate-tenant-key')
    .description(
      'give a tenant a new data key and re-encrypt its secrets in batches, then retire the old key; resumable',
    )
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--batch-size <n>', 'secrets per batch', '200')
    .option('--max <n>', 'stop after this many secrets (run again to continue)')
    .action((o: RotateOptions & { tenant: string }, cmd: Command) =>
      interruptible((signal) =>
        kit.withContext(async (ctx) => {
          const tenant = await ctx.get(TenancyService).getTenant(o.tenant);
          const r = await ctx
            .get(VaultRotationService)
            .rotateTenantKey({ tenantId: tenant.id }, { ...limits(kit, o), signal });
          kit
            .out(cmd)
            .result({ tenant: tenant.slug, ...r }, () =>
              r.status === 'none'
                ? `tenant ${tenant.slug} has no data key yet (no secrets stored): nothing to rotate`
                : [
                    `${r.resumed ? 'resumed' : 'started'} rotation of tenant ${tenant.slug} to data key version ${r.toVersion}: ` +
                      `${r.reencrypted} secret(s) re-encrypted (${r.reencryptedTotal} in all)`,
                    r.status === 'paused'
                      ? `paused with ${r.remaining} left: run the command again to continue`
                      : `done${r.retiredVersions.length > 0 ? `: retired version(s) ${r.retiredVersions.join(', ')}` : ''}`,
                  ].join('\n'),
            );
        }),
      ),
    );
}
