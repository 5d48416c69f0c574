"""Report exports: the datasets, their rows (pseudonymised, audited) as CSV or XLSX."""
