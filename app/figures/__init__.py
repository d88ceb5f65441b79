"""Figures that are costly to compute (a dashboard's counts at a million petitions), kept
in the database for a short while and shared by every instance of the app."""
