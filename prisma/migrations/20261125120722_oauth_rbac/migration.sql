-- CreateEnum
CREATE TYPE "AccessEffect" AS ENUM ('allow', 'deny');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "failedSignIns" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastSignInAt" TIMESTAMPTZ(3),
ADD COLUMN     "lockedUntil" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "OAuthPayload" (
    "model" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "tenantId" UUID,
    "payload" JSONB NOT NULL,
    "expiresAt" TIMESTAMPTZ(3),
    "uid" TEXT,
    "grantId" TEXT,
    "userCode" TEXT,
    "consumedAt" TIMESTAMPTZ(3),
    "accountId" TEXT,
    "clientId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OAuthPayload_pkey" PRIMARY KEY ("model","id")
);

-- CreateTable
CREATE TABLE "OAuthSigningKey" (
    "kid" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "sealed" TEXT NOT NULL,
    "retiredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OAuthSigningKey_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "AccessGrant" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "endpointId" UUID,
    "toolName" TEXT,
    "subjectUserId" UUID,
    "subjectRole" "Role",
    "effect" "AccessEffect" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TenantIdentityProvider" (
    "tenantId" UUID NOT NULL,
    "issuer" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "sealedSecret" TEXT,
    "displayName" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TenantIdentityProvider_pkey" PRIMARY KEY ("tenantId")
);

-- CreateIndex
CREATE INDEX "OAuthPayload_model_uid_idx" ON "OAuthPayload"("model", "uid");

-- CreateIndex
CREATE INDEX "OAuthPayload_model_grantId_idx" ON "OAuthPayload"("model", "grantId");

-- CreateIndex
CREATE INDEX "OAuthPayload_model_userCode_idx" ON "OAuthPayload"("model", "userCode");

-- CreateIndex
CREATE INDEX "OAuthPayload_model_accountId_clientId_idx" ON "OAuthPayload"("model", "accountId", "clientId");

-- CreateIndex
CREATE INDEX "OAuthPayload_tenantId_model_idx" ON "OAuthPayload"("tenantId", "model");

-- CreateIndex
CREATE INDEX "OAuthPayload_expiresAt_idx" ON "OAuthPayload"("expiresAt");

-- CreateIndex
CREATE INDEX "AccessGrant_tenantId_idx" ON "AccessGrant"("tenantId");

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "Endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_subjectUserId_fkey" FOREIGN KEY ("subjectUserId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TenantIdentityProvider" ADD CONSTRAINT "TenantIdentityProvider_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
