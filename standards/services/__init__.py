"""Multi-model work: small, keyword-only, atomic functions called by views."""
