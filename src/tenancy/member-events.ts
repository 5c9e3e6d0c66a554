/** Bus topic: a user's membership of a tenant was added, changed or removed. */
export const MEMBER_CHANGED = 'tenancy.member-changed';

export interface MemberChange {
  readonly tenantId: string;
  readonly userId: string;
}
