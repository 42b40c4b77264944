"""Publishing a new version of a consent text: the administrator's page and its service."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.models import ConsentPurpose, ConsentText
from jembatan.participants.selectors import current_consent_text
from jembatan.participants.services.consent_texts import consent_text_publish

pytestmark = pytest.mark.django_db


def _words(text: ConsentText, **changed: str) -> dict[str, str]:
    words = {n: getattr(text, n) for n in ("title_id", "title_en", "body_id", "body_en")}
    return words | changed


def _current() -> ConsentText:
    text = current_consent_text(ConsentPurpose.PRIVACY_NOTICE)
    assert text is not None
    return text


def test_the_administrator_publishes_a_new_version_in_force_from_now(
    national_admin: User, client: Any
) -> None:
    old = _current()
    client.force_login(national_admin)

    response = client.post(
        reverse("participants:consent_texts"),
        {"purpose": ConsentPurpose.PRIVACY_NOTICE, **_words(old, body_en="New words.")},
    )

    assert response.status_code == 302
    new = _current()
    assert (new.version, new.body_en) == (old.version + 1, "New words.")
    assert ConsentText.objects.get(pk=old.pk).body_en == old.body_en  # the old one is kept
    assert ChangeRecord.objects.filter(
        operation="participants.consent_text_publish", object_id=str(new.pk)
    ).exists()
    page = client.get(reverse("participants:consent_texts")).content.decode()
    assert 'data-testid="consent-texts"' in page and "New words." in page


def test_the_same_text_again_is_refused_and_nothing_is_published(national_admin: User) -> None:
    old = _current()
    count = ConsentText.objects.count()

    with pytest.raises(ValidationError) as refused:
        consent_text_publish(
            purpose=ConsentPurpose.PRIVACY_NOTICE, acting_user=national_admin, **_words(old)
        )

    assert refused.value.code == ParticipantErrorCode.TEXT_UNCHANGED
    assert ConsentText.objects.count() == count


def test_a_text_missing_in_one_language_is_refused(national_admin: User) -> None:
    with pytest.raises(ValidationError) as refused:
        consent_text_publish(
            purpose=ConsentPurpose.PRIVACY_NOTICE,
            acting_user=national_admin,
            **_words(_current(), body_en="  "),
        )

    assert "body_en" in refused.value.message_dict


def test_a_national_officer_reads_the_texts_but_may_not_publish(
    national_officer: User, client: Any
) -> None:
    client.force_login(national_officer)
    count = ConsentText.objects.count()

    page = client.get(reverse("participants:consent_texts")).content.decode()
    with pytest.raises(PermissionDenied):
        consent_text_publish(
            purpose=ConsentPurpose.PRIVACY_NOTICE,
            acting_user=national_officer,
            **_words(_current(), body_en="Mine."),
        )

    assert 'data-testid="consent-text-publish"' not in page
    assert ConsentText.objects.count() == count
