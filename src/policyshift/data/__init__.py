"""Data files shipped with policyshift (CAMEO codebook, actor tables)."""
