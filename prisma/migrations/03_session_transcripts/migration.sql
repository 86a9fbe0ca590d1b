
-- CreateTable
CREATE TABLE "session_transcript" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ended_at" DATETIME NOT NULL,
    "client_address" TEXT NOT NULL,
    "client_name" TEXT NOT NULL,
    "helo" TEXT,
    "sender" TEXT,
    "recipients" TEXT NOT NULL,
    "classes" TEXT NOT NULL,
    "restriction" TEXT,
    "reply" TEXT,
    "lines" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "session_transcript_ended_at_idx" ON "session_transcript"("ended_at");

