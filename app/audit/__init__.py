"""Audit log (R9): every change of domain records, chained by hash; soft delete."""
