"""National database outbox (issue 7; R7 data interoperability, Decree 55/2022/NĐ-CP).

Each petition on intake, processing result, acceptance decision, resolution decision and
enforcement record is queued as a JSON payload for the national database on citizen
reception, petitions and complaints, in the same transaction as the change
(``capture``); a sender job posts pending items to the configured endpoint with retries
and back-off (``sender``); a status page lists them and lets an administrator retry a
failed one (``views``).
"""
