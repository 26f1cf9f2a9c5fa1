-- CreateTable
CREATE TABLE "GeneratedGraphic" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "inputs" JSONB NOT NULL,
    "render" JSONB NOT NULL DEFAULT '{}',
    "aiGenerated" BOOLEAN NOT NULL DEFAULT false,
    "regeneratedFrom" UUID,
    "jobId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GeneratedGraphic_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "GeneratedGraphic_assetId_key" ON "GeneratedGraphic"("assetId");

-- CreateIndex
CREATE INDEX "GeneratedGraphic_newsroomId_type_createdAt_idx" ON "GeneratedGraphic"("newsroomId", "type", "createdAt");

-- AddForeignKey
ALTER TABLE "GeneratedGraphic" ADD CONSTRAINT "GeneratedGraphic_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GeneratedGraphic" ADD CONSTRAINT "GeneratedGraphic_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "MediaAsset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

