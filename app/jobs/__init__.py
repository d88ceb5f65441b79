"""Scheduled jobs (issue 6): the daily deadline flags and reminders, the monthly summaries.

Each occurrence of a job runs once across every process and instance: a run is claimed
by inserting its ``JobRun`` row (unique job and occurrence); the insert that wins runs,
the others skip. Jobs are thin calls into the domains' services.
"""
