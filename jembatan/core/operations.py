"""An audit operation in words: ``demand.job_order_approve`` → "approved" (the record says what).

Change records keep the service's name (``<app>.<function>``) as a stable code for
auditors; pages show it in words by its last word, the verb, beside the record's
model name. An unknown verb falls back to the record's action ("updated").
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

VERBS: dict[str, Any] = {
    "accept": _("accepted"),
    "activate": _("activated"),
    "add": _("added"),
    "apply": _("applied for"),
    "approve": _("approved"),
    "archive": _("archived"),
    "cancel": _("cancelled"),
    "close": _("closed"),
    "complete": _("completed"),
    "confirm": _("confirmed"),
    "correct": _("corrected"),
    "create": _("created"),
    "decide": _("decided"),
    "decline": _("declined"),
    "discard": _("discarded"),
    "dismiss": _("dismissed"),
    "enrol": _("enrolled"),
    "expire": _("expired"),
    "export": _("exported"),
    "filled": _("filled"),
    "finish": _("finished"),
    "flag": _("flagged"),
    "grant": _("granted"),
    "import": _("imported"),
    "issue": _("issued"),
    "load": _("loaded"),
    "merge": _("merged"),
    "offer": _("offered"),
    "open": _("opened"),
    "propose": _("proposed"),
    "record": _("recorded"),
    "refill": _("refilled"),
    "register": _("registered"),
    "requeue": _("queued again"),
    "reject": _("rejected"),
    "reminder": _("reminder sent"),
    "resume": _("resumed"),
    "return": _("returned"),
    "revise": _("revised"),
    "revoke": _("revoked"),
    "save": _("saved"),
    "seed": _("demo data loaded"),
    "set": _("set"),
    "start": _("started"),
    "submit": _("submitted"),
    "suspend": _("suspended"),
    "transition": _("status changed"),
    "update": _("updated"),
    "upload": _("handed in"),
    "verify": _("verified"),
    "warn": _("warned"),
    "renew": _("renewed"),
    "fill": _("filled"),
    "reopen": _("reopened"),
    "fail": _("failed"),
    "depart": _("departed"),
    "escalate": _("escalated"),
    "raise": _("raised"),
    "resolve": _("resolved"),
    # Two-word verbs, looked up before the last word alone.
    "request_renewal": _("renewal requested"),
    "refuse_renewal": _("renewal refused"),
    "start_review": _("review started"),
    "lift_suspension": _("suspension lifted"),
    "order_improvement": _("improvement ordered"),
    "verify_identity": _("identity verified"),
    "change_password": _("password changed"),
    "set_language": _("language chosen"),
    "lockout_clear": _("sign-in unlocked"),
    "by_link": _("password set through an e-mailed link"),
    # Two-factor sign-in (accounts).
    "factor_enrol": _("two-factor sign-in set up"),
    "code_use": _("recovery code used"),
    "codes_renew": _("new recovery codes made"),
    "factor_disable": _("two-factor sign-in turned off"),
    "factor_reset": _("second factor reset"),
    "withdraw": _("withdrawn"),
    # Personal-data rights and the breach register (privacy).
    "file": _("filed"),
    "take": _("taken up"),
    "refuse": _("refused"),
    "anonymise": _("anonymised"),
    "place": _("placed"),
    "lift": _("lifted"),
    "find_affected": _("people affected found"),
    "notify_authority": _("institution notified"),
    "notify_people": _("people notified"),
    # Encryption at rest (ADR 0015): the same data, stored under the current key.
    "encryption_rotate": _("re-encrypted under the current key"),
    "reencrypt": _("re-encrypted under the current key"),
    "notice_answer": _("privacy notice answered"),
    "retention_run": _("retention schedule applied"),
    "publish": _("published"),
    # Protection cases.
    "attach": _("file added"),
    "triage": _("triaged"),
    "assign": _("owner changed"),
    "ask_reporter": _("reporter asked"),
    "reporter_message": _("reporter's message added"),
    "message": _("message added"),
    "report": _("reported"),
    "escalate_overdue": _("escalated on a passed deadline"),
    "answer": _("answer recorded"),
}


def operation_label(operation: str, action_label: str = "") -> str:
    """The operation's verb in words, or ``action_label`` when the verb is not known."""
    words = operation.rsplit(".", 1)[-1].split("_")
    found = VERBS.get("_".join(words[-2:])) or VERBS.get(words[-1])
    return str(found).capitalize() if found is not None else action_label or operation
