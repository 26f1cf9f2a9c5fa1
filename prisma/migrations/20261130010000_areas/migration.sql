-- CreateEnum
CREATE TYPE "EditorialRuleKind" AS ENUM ('PIN', 'BOOST', 'BLOCK', 'EMBARGO');

-- CreateEnum
CREATE TYPE "GeneratedKind" AS ENUM ('SUMMARY', 'HEADLINE', 'SOCIAL_POST', 'KEYWORDS', 'ENTITIES', 'TAGS', 'DRAFT');

-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('PENDING', 'ACCEPTED', 'EDITED', 'REJECTED');

-- CreateEnum
CREATE TYPE "MemoryOrigin" AS ENUM ('HUMAN', 'MACHINE');

-- AlterTable
ALTER TABLE "MediaAsset" ADD COLUMN     "perceptualHash" TEXT;

-- CreateTable
CREATE TABLE "RecommenderConfig" (
    "newsroomId" UUID NOT NULL,
    "eventWeights" JSONB NOT NULL DEFAULT '{}',
    "halfLifeDays" DOUBLE PRECISION NOT NULL DEFAULT 14,
    "categoryCap" INTEGER NOT NULL DEFAULT 0,
    "algorithm" TEXT NOT NULL DEFAULT 'blend',
    "retrainCron" TEXT,
    "params" JSONB NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecommenderConfig_pkey" PRIMARY KEY ("newsroomId")
);

-- CreateTable
CREATE TABLE "EditorialRule" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "contentId" UUID NOT NULL,
    "kind" "EditorialRuleKind" NOT NULL,
    "position" INTEGER,
    "factor" DOUBLE PRECISION,
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "note" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EditorialRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReaderEmbedding" (
    "modelVersionId" UUID NOT NULL,
    "readerId" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "vector" BYTEA NOT NULL,

    CONSTRAINT "ReaderEmbedding_pkey" PRIMARY KEY ("modelVersionId","readerId")
);

-- CreateTable
CREATE TABLE "GeneratedItem" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "contentId" UUID,
    "kind" "GeneratedKind" NOT NULL,
    "engine" TEXT NOT NULL,
    "engineVersion" TEXT,
    "prompt" TEXT,
    "templateId" UUID,
    "input" JSONB NOT NULL DEFAULT '{}',
    "output" TEXT NOT NULL,
    "outputData" JSONB,
    "guardrails" JSONB NOT NULL DEFAULT '{}',
    "status" "ReviewStatus" NOT NULL DEFAULT 'PENDING',
    "editedOutput" TEXT,
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "jobId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GeneratedItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DraftTemplate" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "description" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DraftTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LlmUsage" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "jobId" UUID,
    "operation" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "promptTokens" INTEGER NOT NULL,
    "completionTokens" INTEGER NOT NULL,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LlmUsage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Transcript" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "contentId" UUID,
    "language" TEXT NOT NULL DEFAULT 'en',
    "engine" TEXT NOT NULL,
    "engineVersion" TEXT,
    "modelVersionId" UUID,
    "text" TEXT NOT NULL,
    "segments" JSONB NOT NULL,
    "durationSec" DOUBLE PRECISION NOT NULL,
    "jobId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Transcript_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImageAnalysis" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "jobId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImageAnalysis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssetTag" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "box" JSONB,
    "source" TEXT NOT NULL,

    CONSTRAINT "AssetTag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Face" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "box" JSONB NOT NULL,
    "descriptor" BYTEA NOT NULL,
    "landmarks" JSONB,
    "age" DOUBLE PRECISION,
    "gender" TEXT,
    "expression" TEXT,
    "detectionScore" DOUBLE PRECISION NOT NULL,
    "personId" UUID,
    "assignment" TEXT,
    "matchDistance" DOUBLE PRECISION,
    "clusterId" TEXT,
    "model" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Face_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FaceCorrection" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "faceId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "verdict" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FaceCorrection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModerationReview" (
    "assetId" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "decision" TEXT NOT NULL,
    "scores" JSONB NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "status" "ReviewStatus" NOT NULL DEFAULT 'PENDING',
    "reviewedById" UUID,
    "reviewedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModerationReview_pkey" PRIMARY KEY ("assetId")
);

-- CreateTable
CREATE TABLE "Derivative" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Derivative_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TranslationMemoryEntry" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "sourceLang" TEXT NOT NULL,
    "targetLang" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "origin" "MemoryOrigin" NOT NULL,
    "engine" TEXT NOT NULL DEFAULT '',
    "hits" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TranslationMemoryEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EditorialRule_newsroomId_kind_idx" ON "EditorialRule"("newsroomId", "kind");

-- CreateIndex
CREATE INDEX "ReaderEmbedding_newsroomId_readerId_idx" ON "ReaderEmbedding"("newsroomId", "readerId");

-- CreateIndex
CREATE INDEX "GeneratedItem_newsroomId_status_createdAt_idx" ON "GeneratedItem"("newsroomId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "GeneratedItem_contentId_idx" ON "GeneratedItem"("contentId");

-- CreateIndex
CREATE UNIQUE INDEX "DraftTemplate_newsroomId_name_key" ON "DraftTemplate"("newsroomId", "name");

-- CreateIndex
CREATE INDEX "LlmUsage_newsroomId_createdAt_idx" ON "LlmUsage"("newsroomId", "createdAt");

-- CreateIndex
CREATE INDEX "LlmUsage_jobId_idx" ON "LlmUsage"("jobId");

-- CreateIndex
CREATE INDEX "Transcript_newsroomId_createdAt_idx" ON "Transcript"("newsroomId", "createdAt");

-- CreateIndex
CREATE INDEX "Transcript_assetId_idx" ON "Transcript"("assetId");

-- CreateIndex
CREATE INDEX "ImageAnalysis_newsroomId_kind_idx" ON "ImageAnalysis"("newsroomId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "ImageAnalysis_assetId_kind_key" ON "ImageAnalysis"("assetId", "kind");

-- CreateIndex
CREATE INDEX "AssetTag_newsroomId_label_idx" ON "AssetTag"("newsroomId", "label");

-- CreateIndex
CREATE INDEX "AssetTag_assetId_idx" ON "AssetTag"("assetId");

-- CreateIndex
CREATE INDEX "Person_newsroomId_name_idx" ON "Person"("newsroomId", "name");

-- CreateIndex
CREATE INDEX "Face_newsroomId_personId_idx" ON "Face"("newsroomId", "personId");

-- CreateIndex
CREATE INDEX "Face_newsroomId_clusterId_idx" ON "Face"("newsroomId", "clusterId");

-- CreateIndex
CREATE INDEX "Face_assetId_idx" ON "Face"("assetId");

-- CreateIndex
CREATE INDEX "FaceCorrection_newsroomId_personId_idx" ON "FaceCorrection"("newsroomId", "personId");

-- CreateIndex
CREATE INDEX "ModerationReview_newsroomId_decision_status_idx" ON "ModerationReview"("newsroomId", "decision", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Derivative_assetId_kind_key" ON "Derivative"("assetId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "TranslationMemoryEntry_newsroomId_sourceLang_targetLang_sou_key" ON "TranslationMemoryEntry"("newsroomId", "sourceLang", "targetLang", "sourceKey", "origin", "engine");

-- AddForeignKey
ALTER TABLE "RecommenderConfig" ADD CONSTRAINT "RecommenderConfig_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EditorialRule" ADD CONSTRAINT "EditorialRule_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EditorialRule" ADD CONSTRAINT "EditorialRule_contentId_fkey" FOREIGN KEY ("contentId") REFERENCES "ContentItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReaderEmbedding" ADD CONSTRAINT "ReaderEmbedding_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReaderEmbedding" ADD CONSTRAINT "ReaderEmbedding_readerId_fkey" FOREIGN KEY ("readerId") REFERENCES "Reader"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReaderEmbedding" ADD CONSTRAINT "ReaderEmbedding_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GeneratedItem" ADD CONSTRAINT "GeneratedItem_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GeneratedItem" ADD CONSTRAINT "GeneratedItem_contentId_fkey" FOREIGN KEY ("contentId") REFERENCES "ContentItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DraftTemplate" ADD CONSTRAINT "DraftTemplate_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LlmUsage" ADD CONSTRAINT "LlmUsage_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transcript" ADD CONSTRAINT "Transcript_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transcript" ADD CONSTRAINT "Transcript_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "MediaAsset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transcript" ADD CONSTRAINT "Transcript_contentId_fkey" FOREIGN KEY ("contentId") REFERENCES "ContentItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageAnalysis" ADD CONSTRAINT "ImageAnalysis_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageAnalysis" ADD CONSTRAINT "ImageAnalysis_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "MediaAsset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssetTag" ADD CONSTRAINT "AssetTag_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssetTag" ADD CONSTRAINT "AssetTag_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "MediaAsset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Face" ADD CONSTRAINT "Face_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Face" ADD CONSTRAINT "Face_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "MediaAsset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Face" ADD CONSTRAINT "Face_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FaceCorrection" ADD CONSTRAINT "FaceCorrection_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FaceCorrection" ADD CONSTRAINT "FaceCorrection_faceId_fkey" FOREIGN KEY ("faceId") REFERENCES "Face"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FaceCorrection" ADD CONSTRAINT "FaceCorrection_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModerationReview" ADD CONSTRAINT "ModerationReview_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "MediaAsset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModerationReview" ADD CONSTRAINT "ModerationReview_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Derivative" ADD CONSTRAINT "Derivative_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Derivative" ADD CONSTRAINT "Derivative_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "MediaAsset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TranslationMemoryEntry" ADD CONSTRAINT "TranslationMemoryEntry_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

