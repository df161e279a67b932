-- Keyword search (5a00001e-0000-4000-8000-00000000001e)
-- rules/keywords.yml:9:9: error: rule 'Keyword search' (5a00001e-0000-4000-8000-00000000001e): keyword search (a value without a field) cannot be converted to spark: this table layout cannot enumerate every value of a record (only the duckdb target can)

