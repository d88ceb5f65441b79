"""Stored files (attachments, signed documents, slips): content-checked, scoped, audited."""
