"""Data-protection duties: retention and subject access (SPEC §8, issue 9)."""
