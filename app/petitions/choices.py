"""The closed lists of the petition domain, with their UI labels (English msgids).

Sources: TT 07/2014/TT-TTCP and TT 05/2021/TT-TTCP (channels, kinds, outcomes, repeat
classification), the report forms of TT 03/2013 and TT 01/2024 (prior resolution status,
signatory buckets). See /work/shared/domain/legal-domain.md §2.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# How the petition arrived (TT 07/2014 Art. 5; online added by TT 05/2021 / L136).
CHANNELS = {
    "in_person": _l("In person at citizen reception"),
    "post": _l("By post"),
    "forwarded": _l("Forwarded by another agency"),
    "online": _l("Online"),
    "other": _l("Other"),
}

# Petition kinds this system handles; denunciations are refused (R20).
KINDS = {
    "complaint": _l("Complaint"),
    "recommendation": _l("Recommendation"),
    "reflection": _l("Reflection"),
}

# Resolution status of the matter when the petition arrives (forms 2b, 01/XLD, 02/XLD).
PRIOR_RESOLUTION = {
    "none": _l("Not yet resolved"),
    "in_progress": _l("Being resolved"),
    "first": _l("Resolved once (first instance)"),
    "second": _l("Resolved at second instance"),
    "many": _l("Resolved several times"),
    "court": _l("Judged by a court"),
}

# A repeat submission joins an existing case and is filed (TT 07/2014 Art. 6(2)(b), Art. 28).
REPEAT_KINDS = {
    "sent_to_many": _l("Sent to several places, one of them competent"),
    "already_guided": _l("Already guided once on the same content"),
    "resolved_no_new_facts": _l("Already resolved, no new facts"),
    "further_right": _l("Repeat with a further right (processed again)"),
}

# Where a petition stands. "filed" = repeat filed without a second round of processing.
STATUSES = {
    "received": _l("Received"),
    "accepted": _l("Accepted for resolution"),
    "forwarded": _l("Forwarded"),
    "guided": _l("Citizen guided"),
    "returned": _l("Returned"),
    "archived": _l("Archived, processing stopped"),
    "filed": _l("Filed as repeat"),
}
OPEN_STATUSES = ("received",)

# Processing outcomes (TT 07/2014 Art. 7–9, 21–28; TT 05/2021).
OUTCOMES = {
    "accepted": _l("Accept for resolution"),
    "forwarded": _l("Forward to the competent agency"),
    "guided": _l("Guide the citizen"),
    "returned": _l("Return the petition"),
    "archived": _l("Archive / stop processing"),
}

# Reception visits (Luật TCD 2013, TT 06/2014; form 01/TCD).
RECEPTION_TYPES = {
    "regular": _l("Regular reception"),
    "leader_periodic": _l("Periodic reception by the head"),
    "leader_adhoc": _l("Ad hoc reception by the head"),
}
# How the citizen was received (online reception: L136, from 01/07/2026).
RECEPTION_CHANNELS = {
    "in_person": _l("In person"),
    "online": _l("Online"),
}
VISIT_OUTCOMES = {
    "petition_received": _l("Petition received"),
    "guided": _l("Guided to the competent agency"),
    "answered": _l("Answered on the spot"),
    "refused": _l("Reception refused"),
    "other": _l("Other"),
}
SEXES = {"male": _l("Male"), "female": _l("Female")}

# Steps of a petition's history (PetitionEvent.event), as the timeline names them.
EVENTS = {
    "received": _l("Petition received"),
    "repeat_received": _l("Repeat submission received"),
    "processed": _l("Processed"),
    "transfer_received": _l("Forwarded petition received by the competent agency"),
    "received_by_transfer": _l("Received from the forwarding agency"),
    "reply_recorded": _l("Reply received from the competent agency"),
    "returned_to_us": _l("Petition returned by the agency it was forwarded to"),
    "deadline_recomputed": _l("Deadline recomputed"),
    "slip_issued": _l("Official slip generated"),
    "attachments_added": _l("Attachments added"),
    "attachment_removed": _l("Attachment removed"),
    "original_returned": _l("Original paper returned to the citizen"),
}

# A forwarded petition waits in the target agency's inbox until received there.
TRANSFER_STATUSES = {
    "pending": _l("Waiting to be received"),
    "received": _l("Received"),
}
