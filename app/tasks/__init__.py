"""Task assignment (Art. 5, 7; R3, R13–R20, R25): documents, tasks, reports, reviews."""
