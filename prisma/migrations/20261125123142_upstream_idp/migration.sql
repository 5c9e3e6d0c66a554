-- AlterTable
ALTER TABLE "TenantIdentityProvider" ADD COLUMN     "allowedDomains" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "emailClaim" TEXT NOT NULL DEFAULT 'email',
ADD COLUMN     "jitRole" "Role",
ADD COLUMN     "requireEmailVerified" BOOLEAN NOT NULL DEFAULT true;
