"""Bulk import of petitions and tasks from Excel and CSV files (issue 7, R7)."""
