import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { MembershipRepository } from '../../tenancy/membership.repository.js';
import { isoDate, slug } from '../http/schemas.js';
import type { AdminSession } from './admin-session.service.js';

export const sessionView = z
  .object({
    user: z.object({ id: z.uuid(), email: z.string(), name: z.string().nullable() }),
    platformRole: z
      .enum(['operator'])
      .nullable()
      .meta({ description: 'operator: may use the /platform routes' }),
    method: z.enum(['password', 'oidc']),
    boundTenant: z
      .string()
      .nullable()
      .meta({ description: "Signed in through this tenant's identity provider: acts in it only" }),
    csrfToken: z.string().meta({
      description:
        'Send as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE made with this session',
    }),
    createdAt: isoDate,
    expiresAt: isoDate.meta({ description: 'Absolute end of the session' }),
    idleExpiresAt: isoDate.meta({ description: 'End of the session unless it is used before then' }),
    tenants: z.array(
      z.object({
        slug,
        name: z.string(),
        status: z.enum(['active', 'suspended']),
        role: z.enum(['owner', 'admin', 'member', 'viewer']),
      }),
    ),
  })
  .meta({ id: 'Session' });

export type SessionView = z.input<typeof sessionView>;

/** A session as the API answers it (sign-in, current session, accepting an invitation). */
@Injectable()
export class SessionViews {
  constructor(private readonly memberships: MembershipRepository) {}

  async view(session: AdminSession): Promise<SessionView> {
    const memberships = (await this.memberships.listForUser(session.user.id)).filter(
      (m) => session.tenantId === null || m.tenantId === session.tenantId,
    );
    const bound = session.tenantId ? memberships.find((m) => m.tenantId === session.tenantId) : undefined;
    return {
      user: { id: session.user.id, email: session.user.email, name: session.user.name },
      // A session opened by a tenant's identity provider never carries platform powers.
      platformRole: session.tenantId === null ? session.user.platformRole : null,
      method: session.method,
      boundTenant: bound?.tenant.slug ?? null,
      csrfToken: session.csrfToken,
      createdAt: session.createdAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
      idleExpiresAt: session.idleExpiresAt.toISOString(),
      tenants: memberships.map((m) => ({
        slug: m.tenant.slug,
        name: m.tenant.name,
        status: m.tenant.status,
        role: m.role,
      })),
    };
  }
}
