-- AlterTable
ALTER TABLE "TenantKey" ADD COLUMN     "reencrypted" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "retiredAt" TIMESTAMPTZ(3),
ADD COLUMN     "rotationFinishedAt" TIMESTAMPTZ(3),
ADD COLUMN     "rotationStartedAt" TIMESTAMPTZ(3),
ADD COLUMN     "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "PlatformKey" (
    "id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "wrappedKey" BYTEA NOT NULL,
    "kekId" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlatformKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PlatformKey_version_key" ON "PlatformKey"("version");

-- CreateIndex
CREATE INDEX "PlatformKey_kekId_idx" ON "PlatformKey"("kekId");

-- CreateIndex
CREATE INDEX "Secret_tenantId_keyVersion_id_idx" ON "Secret"("tenantId", "keyVersion", "id");

-- CreateIndex
CREATE INDEX "TenantKey_kekId_idx" ON "TenantKey"("kekId");
