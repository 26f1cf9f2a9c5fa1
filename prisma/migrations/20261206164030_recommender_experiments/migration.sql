-- CreateEnum
CREATE TYPE "ExperimentStatus" AS ENUM ('RUNNING', 'STOPPED', 'PROMOTED');

-- CreateTable
CREATE TABLE "RecommenderExperiment" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "controlVersionId" UUID NOT NULL,
    "candidateVersionId" UUID NOT NULL,
    "trafficShare" DOUBLE PRECISION NOT NULL,
    "status" "ExperimentStatus" NOT NULL DEFAULT 'RUNNING',
    "startedById" UUID,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "finalCounts" JSONB,

    CONSTRAINT "RecommenderExperiment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RecommenderExperiment_newsroomId_status_idx" ON "RecommenderExperiment"("newsroomId", "status");

-- AddForeignKey
ALTER TABLE "RecommenderExperiment" ADD CONSTRAINT "RecommenderExperiment_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecommenderExperiment" ADD CONSTRAINT "RecommenderExperiment_controlVersionId_fkey" FOREIGN KEY ("controlVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecommenderExperiment" ADD CONSTRAINT "RecommenderExperiment_candidateVersionId_fkey" FOREIGN KEY ("candidateVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one running experiment per newsroom.
CREATE UNIQUE INDEX "RecommenderExperiment_one_running" ON "RecommenderExperiment"("newsroomId") WHERE "status" = 'RUNNING';
