-- CreateIndex
CREATE INDEX "lookup_table_entry_table_id_value_idx" ON "lookup_table_entry"("table_id", "value");
