"""Publishing a new version of a consent text (the privacy notice, the transfer abroad).

A text is never edited: each change is a new version with its own number and
publication time, so every consent keeps pointing at the words the person was
shown. The version in force is the latest published (``current_consent_text``);
people who agreed to an older one keep that consent.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.roles import Role
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.locks import lock_consent_texts
from jembatan.participants.models import ConsentPurpose, ConsentText

WORDS = ("title_id", "title_en", "body_id", "body_en")


def may_publish(user: Any) -> bool:
    """Only the national administrator publishes consent texts."""
    return role_of(user) == Role.NATIONAL_ADMIN


@transaction.atomic
def consent_text_publish(
    *,
    purpose: str,
    title_id: str,
    title_en: str,
    body_id: str,
    body_en: str,
    acting_user: Any,
) -> ConsentText:
    """Publish the next version of ``purpose``'s text, in force from now.

    Refuses anyone but the national administrator, an empty title or text in
    either language, and a version identical to the one in force.
    """
    if not may_publish(acting_user):
        raise PermissionDenied(_("Only the national administrator publishes consent texts."))
    purpose = ConsentPurpose(purpose)
    words = {
        "title_id": title_id.strip(),
        "title_en": title_en.strip(),
        "body_id": body_id.strip(),
        "body_en": body_en.strip(),
    }
    empty = [name for name, value in words.items() if not value]
    if empty:
        raise ValidationError(dict.fromkeys(empty, _("Write this in both languages.")))
    versions = lock_consent_texts(purpose)
    latest = versions[-1] if versions else None
    if latest is not None and all(getattr(latest, n) == words[n] for n in WORDS):
        raise ValidationError(
            _("This is the text in force already (version %(version)s): change it first.")
            % {"version": latest.version},
            code=ParticipantErrorCode.TEXT_UNCHANGED,
        )
    text = ConsentText.objects.create(
        purpose=purpose,
        version=(latest.version + 1) if latest else 1,
        published_at=timezone.now(),
        **words,
    )
    record_change(
        acting_user=acting_user,
        operation="participants.consent_text_publish",
        instance=text,
        action="create",
        changes=diff({}, snapshot(text)),
    )
    return text
