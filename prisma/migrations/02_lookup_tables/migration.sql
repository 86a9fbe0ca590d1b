-- CreateTable
CREATE TABLE "lookup_table" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "lookup_table_entry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "table_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    CONSTRAINT "lookup_table_entry_table_id_fkey" FOREIGN KEY ("table_id") REFERENCES "lookup_table" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "lookup_table_name_key" ON "lookup_table"("name");

-- CreateIndex
CREATE INDEX "lookup_table_entry_table_id_key_idx" ON "lookup_table_entry"("table_id", "key");

-- CreateIndex
CREATE UNIQUE INDEX "lookup_table_entry_table_id_position_key" ON "lookup_table_entry"("table_id", "position");

