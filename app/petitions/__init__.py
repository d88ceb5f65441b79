"""Petitions: citizens, reception visits, cases, petitions, lookup, processing, slips."""
