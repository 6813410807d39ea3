-- A release remembers its commit's message, author and date, read when the deploy resolved its ref, so every
-- release and deploy can show them (not only a hash). Releases built before stay without them (NULL).

-- AlterTable
ALTER TABLE "Release" ADD COLUMN     "commitMessage" TEXT,
ADD COLUMN     "commitAuthor" TEXT,
ADD COLUMN     "committedAt" TIMESTAMP(3);
