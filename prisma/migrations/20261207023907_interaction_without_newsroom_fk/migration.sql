-- DropForeignKey
ALTER TABLE "Interaction" DROP CONSTRAINT "Interaction_newsroomId_fkey";

