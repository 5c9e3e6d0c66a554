/** Injects the open `DatabaseDriver` (kind, adapters, close). Repositories use PrismaService instead. */
export const DATABASE_DRIVER = Symbol('DATABASE_DRIVER');
