-- AlterTable
ALTER TABLE "Transcript" ADD COLUMN     "speakers" JSONB;

-- CreateTable
CREATE TABLE "VoicePrint" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "method" TEXT NOT NULL,
    "voice" JSONB NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "transcriptId" UUID,
    "speakerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VoicePrint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "VoicePrint_newsroomId_personId_idx" ON "VoicePrint"("newsroomId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "VoicePrint_newsroomId_transcriptId_speakerId_key" ON "VoicePrint"("newsroomId", "transcriptId", "speakerId");

-- AddForeignKey
ALTER TABLE "VoicePrint" ADD CONSTRAINT "VoicePrint_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VoicePrint" ADD CONSTRAINT "VoicePrint_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

