-- CreateTable
CREATE TABLE "traffic_count" (
    "minute" INTEGER NOT NULL,
    "counter" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "value" INTEGER NOT NULL,

    PRIMARY KEY ("minute", "counter", "label")
);

-- CreateTable
CREATE TABLE "traffic_total" (
    "counter" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "updated_at" DATETIME NOT NULL,

    PRIMARY KEY ("counter", "label")
);

-- CreateTable
CREATE TABLE "table_hit" (
    "table_name" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "last_hit_at" DATETIME NOT NULL,

    PRIMARY KEY ("table_name", "key")
);

-- CreateIndex
CREATE INDEX "traffic_count_counter_minute_idx" ON "traffic_count"("counter", "minute");
