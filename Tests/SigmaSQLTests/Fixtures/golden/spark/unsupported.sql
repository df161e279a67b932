-- Unresolved placeholder (5a00002a-0000-4000-8000-00000000002a)
-- rules/unsupported.yml:9:9: error: rule 'Unresolved placeholder' (5a00002a-0000-4000-8000-00000000002a): placeholder %trusted_networks% cannot be converted to spark: no value is configured for it (PH-02); give its values when loading

