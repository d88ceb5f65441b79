"""Backups (issue 7, "Nothing lost"): ``flask backup`` writes the database and the stored
files into one checked archive; ``flask restore`` puts them back, refusing an archive that
is damaged, of another database kind or of another migration revision."""
