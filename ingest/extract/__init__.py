"""Per-provision extraction: amounts, agencies, programmes, beneficiaries, conditions, lineage."""
