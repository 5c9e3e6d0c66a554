/** Every repository call on tenant-owned data takes this; there is no way to query across tenants by accident. */
export interface TenantScope {
  readonly tenantId: string;
}
