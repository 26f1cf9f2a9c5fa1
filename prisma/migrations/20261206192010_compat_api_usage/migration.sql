-- CreateTable
CREATE TABLE "ApiUsage" (
    "id" UUID NOT NULL,
    "newsroomId" UUID NOT NULL,
    "clientId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "operation" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "quantity" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiUsage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ApiUsage_newsroomId_day_idx" ON "ApiUsage"("newsroomId", "day");

-- CreateIndex
CREATE UNIQUE INDEX "ApiUsage_newsroomId_clientId_day_operation_unit_key" ON "ApiUsage"("newsroomId", "clientId", "day", "operation", "unit");

-- AddForeignKey
ALTER TABLE "ApiUsage" ADD CONSTRAINT "ApiUsage_newsroomId_fkey" FOREIGN KEY ("newsroomId") REFERENCES "Newsroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

