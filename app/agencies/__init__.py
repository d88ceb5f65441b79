"""Agencies: the tree of any depth, kinds, capabilities and succession (R1–R3)."""
