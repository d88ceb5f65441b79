"""Complaint resolution (R5, R8; Luật Khiếu nại 2011): dossiers, legal clocks, decisions."""
