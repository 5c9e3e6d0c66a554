-- CreateTable
CREATE TABLE "AuditChainHead" (
    "tenantId" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AuditChainHead_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "AuditCheckpoint" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,
    "prunedCount" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "keyId" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "AuditCheckpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditSettings" (
    "tenantId" UUID NOT NULL,
    "recordRawArguments" BOOLEAN NOT NULL DEFAULT false,
    "retentionDays" INTEGER,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AuditSettings_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "AuditSigningKey" (
    "id" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AuditSigningKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditCheckpoint_tenantId_seq_key" ON "AuditCheckpoint"("tenantId", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_kind_seq_idx" ON "AuditEvent"("tenantId", "kind", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_actorId_seq_idx" ON "AuditEvent"("tenantId", "actorId", "seq");
