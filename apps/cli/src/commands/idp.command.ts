import type { Command } from 'commander';
import { Option } from 'commander';
import { DomainError } from '../../../../src/common/domain-error.js';
import {
  IdentityProviderService,
  JIT_ROLES,
  type IdentityProviderView,
  type JitRole,
} from '../../../../src/oauth/upstream/identity-provider.service.js';
import { cliActor } from '../cli-actor.js';
import type { CliKit } from '../kit.js';
import { stdinSecretInput, type SecretInput } from './connection.command.js';

interface SetOptions {
  tenant: string;
  issuer: string;
  clientId: string;
  name?: string;
  domains?: string;
  emailClaim?: string;
  allowUnverifiedEmail?: boolean;
  jitRole?: JitRole;
  publicClient?: boolean;
  skipCheck?: boolean;
  disabled?: boolean;
}

function human(v: IdentityProviderView): string {
  return [
    `identity provider of ${v.tenant}: ${v.displayName}${v.enabled ? '' : ' (disabled)'}`,
    `  issuer              ${v.issuer}`,
    `  client id           ${v.clientId}${v.hasClientSecret ? ' (with a client secret)' : ' (public client)'}`,
    `  allowed domains     ${v.allowedDomains.length ? v.allowedDomains.join(', ') : 'any (existing members only)'}`,
    `  email claim         ${v.emailClaim}${v.requireEmailVerified ? ' (must be verified)' : ''}`,
    `  first sign-in       ${v.jitRole ? `joins as ${v.jitRole}` : 'members only'}`,
    `  redirect URI        ${v.redirectUri}`,
  ].join('\n');
}

/** `switchboard idp …`: a tenant's own OpenID Connect identity provider. */
export function idpCommands(input: SecretInput): (program: Command, kit: CliKit) => void {
  return (program, kit) => {
    const idp = program
      .command('idp')
      .description("a tenant's own OpenID Connect identity provider (sign-in)");
    idp
      .command('set')
      .description(
        'create or replace the identity provider; the client secret is read from standard input (never the command line)',
      )
      .requiredOption('--tenant <slug>', 'tenant')
      .requiredOption('--issuer <url>', 'issuer URL (https; its /.well-known/openid-configuration is read)')
      .requiredOption('--client-id <id>', "this platform's client id at the provider")
      .option('--name <text>', 'button label: "Continue with <name>" (default: the issuer host)')
      .option(
        '--domains <list>',
        'email domains that may sign in, comma-separated (default: any, members only)',
      )
      .option('--email-claim <claim>', 'claim carrying the email address', 'email')
      .option('--allow-unverified-email', 'accept identities whose email_verified is not true')
      .addOption(
        new Option(
          '--jit-role <role>',
          'first sign-in with an allowed domain joins the tenant with this role',
        ).choices(JIT_ROLES),
      )
      .option('--public-client', 'no client secret (PKCE only); nothing is read from standard input')
      .option('--skip-check', "do not fetch the provider's discovery document now")
      .option('--disabled', 'store it without offering it on the sign-in page yet')
      .action((o: SetOptions, cmd: Command) =>
        kit.withContext(async (ctx) => {
          let raw: Buffer | null = null;
          try {
            let clientSecret: string | null = null;
            if (!o.publicClient) {
              raw = await input.read(`client secret for ${o.issuer} (not echoed): `);
              clientSecret = withoutFinalNewline(raw).toString('utf8');
              if (clientSecret.length === 0) {
                throw new DomainError(
                  'invalid_argument',
                  'no client secret on standard input; pipe it in (printf %s "$SECRET" | switchboard idp set …) or pass --public-client',
                );
              }
            }
            const view = await ctx.get(IdentityProviderService).set(
              o.tenant,
              {
                issuer: o.issuer,
                clientId: o.clientId,
                clientSecret,
                ...(o.name !== undefined && { displayName: o.name }),
                allowedDomains: o.domains?.split(',') ?? [],
                ...(o.emailClaim !== undefined && { emailClaim: o.emailClaim }),
                requireEmailVerified: !o.allowUnverifiedEmail,
                jitRole: o.jitRole ?? null,
                enabled: !o.disabled,
              },
              { verify: !o.skipCheck, actor: cliActor() },
            );
            kit
              .out(cmd)
              .result(view, () => `${human(view)}\nRegister the redirect URI above at the provider.`);
          } finally {
            raw?.fill(0);
          }
        }),
      );
    idp
      .command('show')
      .description("show a tenant's identity provider (never its secret)")
      .requiredOption('--tenant <slug>', 'tenant')
      .action((o: { tenant: string }, cmd: Command) =>
        kit.withContext(async (ctx) => {
          const view = await ctx.get(IdentityProviderService).show(o.tenant);
          kit.out(cmd).result(view, () => human(view));
        }),
      );
    idp
      .command('remove')
      .description("remove a tenant's identity provider (its members keep their accounts)")
      .requiredOption('--tenant <slug>', 'tenant')
      .action((o: { tenant: string }, cmd: Command) =>
        kit.withContext(async (ctx) => {
          await ctx.get(IdentityProviderService).remove(o.tenant, cliActor());
          kit
            .out(cmd)
            .result(
              { tenant: o.tenant, removed: true },
              () => `removed the identity provider of ${o.tenant}`,
            );
        }),
      );
  };
}

/** One trailing newline is what `echo` and editors add, not part of the secret. */
function withoutFinalNewline(b: Buffer): Buffer {
  if (b.length >= 2 && b[b.length - 2] === 0x0d && b[b.length - 1] === 0x0a) return b.subarray(0, -2);
  if (b.length >= 1 && b[b.length - 1] === 0x0a) return b.subarray(0, -1);
  return b;
}

export const registerIdpCommands = idpCommands(stdinSecretInput);
