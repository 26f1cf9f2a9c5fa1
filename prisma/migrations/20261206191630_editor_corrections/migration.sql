-- AlterEnum
ALTER TYPE "GeneratedKind" ADD VALUE 'TRANSLATION';

-- AlterTable
ALTER TABLE "MediaAsset" ADD COLUMN     "altText" TEXT,
ADD COLUMN     "altTextEditedAt" TIMESTAMP(3),
ADD COLUMN     "altTextEditedById" UUID;

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "retryable" BOOLEAN;

-- AlterTable
ALTER TABLE "GeneratedItem" ADD COLUMN     "appliedChange" JSONB;

-- AlterTable
ALTER TABLE "Transcript" ADD COLUMN     "editedAt" TIMESTAMP(3),
ADD COLUMN     "editedById" UUID,
ADD COLUMN     "editedSegments" JSONB,
ADD COLUMN     "editedText" TEXT;

-- AlterTable
ALTER TABLE "Face" ADD COLUMN     "notAFace" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "notAFaceAt" TIMESTAMP(3);

