"""Accounts, roles, the security manager and THE data-scope filter (R9–R11)."""
