"""Writes of the decisions domain, one module per subject; each function is one audited transaction."""
