"""Working-day calendar and the versioned table of legal time limits: the one place that
does date arithmetic for deadlines (R14, R16, R17, R19; legal-domain §2.7, §3, §6).

How other domains use it::

    from app.calendar.store import load_calendar
    from app.calendar.rules import compute_deadline, complaint_resolution_code
    from app.calendar.deadlines import entry_deadline, judge_entry_timeliness, judge_completion

    cal = load_calendar(session)                      # once per request / job
    compute_deadline("petition.processing", petition.received_at, session, calendar=cal)
    code = complaint_resolution_code(1, complex_case=True, remote_area=False)
    compute_deadline(code, dossier.accepted_on, session, calendar=cal,
                     suspensions=[Suspension(paused_on, resumed_on)])
    entry_deadline(cal, document.issued_at)           # 15:00 rule (R14)
    judge_entry_timeliness(cal, document.issued_at, document.created_at)
    judge_completion(task.deadline, report.sent_at)   # early / on time / late (R19)

Every result carries its explanation (``result.steps``); show it with
``app.calendar.explain.explanation_text(result)`` or the ``|explanation`` template filter.
Modules: ``workdays`` (the calendar), ``results`` (value objects), ``deadlines`` (pure
computations), ``explain`` (rendering), ``rules`` + ``defaults`` (the rule table),
``store`` (loading overrides), ``changes`` (recompute hook), ``views``, ``cli``.
"""
