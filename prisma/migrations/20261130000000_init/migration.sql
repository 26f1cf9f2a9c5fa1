-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'EDITOR', 'APP');

-- CreateEnum
CREATE TYPE "ContentType" AS ENUM ('ARTICLE', 'VIDEO', 'AUDIO', 'IMAGE');

-- CreateEnum
CREATE TYPE "ContentStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'ACTIVE', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ModelStatus" AS ENUM ('TRAINING', 'CANDIDATE', 'ACTIVE', 'RETIRED', 'FAILED');

-- CreateTable
CREATE TABLE "Newsroom" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "maxOpenJobs" INTEGER NOT NULL DEFAULT 1000,
    "maxJobsPerDay" INTEGER NOT NULL DEFAULT 50000,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Newsroom_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GlossaryTerm" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "term" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT '',
    "preferredSpelling" TEXT,
    "doNotTranslate" BOOLEAN NOT NULL DEFAULT false,
    "translations" JSONB NOT NULL DEFAULT '{}',
    "pronunciation" TEXT,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GlossaryTerm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentItem" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "externalId" TEXT,
    "type" "ContentType" NOT NULL DEFAULT 'ARTICLE',
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "summary" TEXT,
    "language" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "category" TEXT,
    "status" "ContentStatus" NOT NULL DEFAULT 'DRAFT',
    "publishedAt" TIMESTAMP(3),
    "source" TEXT,
    "url" TEXT,
    "assetId" UUID,
    "originalId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContentItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MediaAsset" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "storageKey" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "checksum" TEXT NOT NULL,
    "uploadedById" UUID,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MediaAsset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reader" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reader_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Interaction" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "eventId" TEXT NOT NULL,
    "readerId" UUID NOT NULL,
    "contentId" UUID NOT NULL,
    "eventType" TEXT NOT NULL,
    "weight" DOUBLE PRECISION,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiClient" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "keyPrefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "webhookUrl" TEXT,
    "webhookSecret" TEXT,
    "rateLimitPerMinute" INTEGER NOT NULL DEFAULT 600,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiClient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "progressMessage" TEXT,
    "input" JSONB NOT NULL,
    "result" JSONB,
    "error" TEXT,
    "errorCode" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "idempotencyKey" TEXT,
    "requesterId" UUID,
    "contentId" UUID,
    "assetId" UUID,
    "webhookUrl" TEXT,
    "runtime" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "area" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "algorithm" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "dataWindowStart" TIMESTAMP(3),
    "dataWindowEnd" TIMESTAMP(3),
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "history" JSONB NOT NULL DEFAULT '[]',
    "artifact" BYTEA,
    "artifactBytes" INTEGER NOT NULL DEFAULT 0,
    "status" "ModelStatus" NOT NULL DEFAULT 'TRAINING',
    "backend" TEXT,
    "trainingJobId" UUID,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" TIMESTAMP(3),

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Newsroom_slug_key" ON "Newsroom"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "GlossaryTerm_newsroomId_term_language_key" ON "GlossaryTerm"("newsroomId", "term", "language");

-- CreateIndex
CREATE INDEX "ContentItem_newsroomId_createdAt_idx" ON "ContentItem"("newsroomId", "createdAt");

-- CreateIndex
CREATE INDEX "ContentItem_newsroomId_publishedAt_idx" ON "ContentItem"("newsroomId", "publishedAt");

-- CreateIndex
CREATE INDEX "ContentItem_newsroomId_type_status_idx" ON "ContentItem"("newsroomId", "type", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ContentItem_newsroomId_externalId_key" ON "ContentItem"("newsroomId", "externalId");

-- CreateIndex
CREATE INDEX "MediaAsset_newsroomId_createdAt_idx" ON "MediaAsset"("newsroomId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MediaAsset_newsroomId_checksum_key" ON "MediaAsset"("newsroomId", "checksum");

-- CreateIndex
CREATE UNIQUE INDEX "Reader_newsroomId_externalId_key" ON "Reader"("newsroomId", "externalId");

-- CreateIndex
CREATE INDEX "Interaction_newsroomId_readerId_occurredAt_idx" ON "Interaction"("newsroomId", "readerId", "occurredAt");

-- CreateIndex
CREATE INDEX "Interaction_newsroomId_occurredAt_idx" ON "Interaction"("newsroomId", "occurredAt");

-- CreateIndex
CREATE INDEX "Interaction_contentId_idx" ON "Interaction"("contentId");

-- CreateIndex
CREATE UNIQUE INDEX "Interaction_newsroomId_eventId_key" ON "Interaction"("newsroomId", "eventId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiClient_keyPrefix_key" ON "ApiClient"("keyPrefix");

-- CreateIndex
CREATE UNIQUE INDEX "ApiClient_keyHash_key" ON "ApiClient"("keyHash");

-- CreateIndex
CREATE INDEX "ApiClient_newsroomId_idx" ON "ApiClient"("newsroomId");

-- CreateIndex
CREATE INDEX "Job_newsroomId_createdAt_idx" ON "Job"("newsroomId", "createdAt");

-- CreateIndex
CREATE INDEX "Job_newsroomId_status_idx" ON "Job"("newsroomId", "status");

-- CreateIndex
CREATE INDEX "Job_newsroomId_type_idx" ON "Job"("newsroomId", "type");

-- CreateIndex
CREATE INDEX "Job_contentId_idx" ON "Job"("contentId");

-- CreateIndex
CREATE UNIQUE INDEX "Job_newsroomId_idempotencyKey_key" ON "Job"("newsroomId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "ModelVersion_newsroomId_area_status_idx" ON "ModelVersion"("newsroomId", "area", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_newsroomId_name_version_key" ON "ModelVersion"("newsroomId", "name", "version");

-- AddForeignKey
ALTER TABLE "GlossaryTerm" ADD CONSTRAINT "GlossaryTerm_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentItem" ADD CONSTRAINT "ContentItem_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentItem" ADD CONSTRAINT "ContentItem_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "MediaAsset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentItem" ADD CONSTRAINT "ContentItem_originalId_fkey" FOREIGN KEY ("originalId") REFERENCES "ContentItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MediaAsset" ADD CONSTRAINT "MediaAsset_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reader" ADD CONSTRAINT "Reader_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_readerId_fkey" FOREIGN KEY ("readerId") REFERENCES "Reader"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_contentId_fkey" FOREIGN KEY ("contentId") REFERENCES "ContentItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiClient" ADD CONSTRAINT "ApiClient_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "ApiClient"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

