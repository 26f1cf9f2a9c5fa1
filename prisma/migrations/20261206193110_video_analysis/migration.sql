-- CreateTable
CREATE TABLE "VideoAnalysis" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "durationSec" DOUBLE PRECISION NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "rotation" INTEGER NOT NULL,
    "fps" DOUBLE PRECISION NOT NULL,
    "variableFrameRate" BOOLEAN NOT NULL,
    "hasAudio" BOOLEAN NOT NULL,
    "probe" JSONB NOT NULL,
    "transcriptId" UUID,
    "chapters" JSONB NOT NULL DEFAULT '[]',
    "posterScene" INTEGER,
    "posterReason" TEXT,
    "thumbnails" JSONB,
    "models" JSONB NOT NULL DEFAULT '[]',
    "timings" JSONB NOT NULL DEFAULT '{}',
    "jobId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VideoAnalysis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VideoScene" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "analysisId" UUID NOT NULL,
    "videoAssetId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "startSec" DOUBLE PRECISION NOT NULL,
    "endSec" DOUBLE PRECISION NOT NULL,
    "cutScore" DOUBLE PRECISION NOT NULL,
    "keyframeAssetId" UUID NOT NULL,
    "keyframeSec" DOUBLE PRECISION NOT NULL,
    "sharpness" DOUBLE PRECISION NOT NULL,
    "brightness" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "VideoScene_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "VideoAnalysis_assetId_key" ON "VideoAnalysis"("assetId");

-- CreateIndex
CREATE INDEX "VideoAnalysis_newsroomId_createdAt_idx" ON "VideoAnalysis"("newsroomId", "createdAt");

-- CreateIndex
CREATE INDEX "VideoScene_newsroomId_videoAssetId_idx" ON "VideoScene"("newsroomId", "videoAssetId");

-- CreateIndex
CREATE INDEX "VideoScene_keyframeAssetId_idx" ON "VideoScene"("keyframeAssetId");

-- CreateIndex
CREATE UNIQUE INDEX "VideoScene_analysisId_index_key" ON "VideoScene"("analysisId", "index");

-- AddForeignKey
ALTER TABLE "VideoAnalysis" ADD CONSTRAINT "VideoAnalysis_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoAnalysis" ADD CONSTRAINT "VideoAnalysis_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "MediaAsset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoScene" ADD CONSTRAINT "VideoScene_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoScene" ADD CONSTRAINT "VideoScene_analysisId_fkey" FOREIGN KEY ("analysisId") REFERENCES "VideoAnalysis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoScene" ADD CONSTRAINT "VideoScene_videoAssetId_fkey" FOREIGN KEY ("videoAssetId") REFERENCES "MediaAsset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoScene" ADD CONSTRAINT "VideoScene_keyframeAssetId_fkey" FOREIGN KEY ("keyframeAssetId") REFERENCES "MediaAsset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

