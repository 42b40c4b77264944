"""/dokumen/: officers' verification queue, oldest first, by province and organisation;
a participant's page links to their documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.documents.models import Document, DocumentKind
from jembatan.participants.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(
    upload: Callable[..., Document],
    participant_jateng: Participant,
    participant_jatim: Participant,
    participant_user: User,
    other_sender_operator: User,
) -> list[Document]:
    """A KTP of Siti (Jawa Tengah) handed in before one of Budi (Jawa Timur)."""
    older = upload(participant_jateng, participant_user, kind=DocumentKind.ID_CARD)
    newer = upload(participant_jatim, other_sender_operator, kind=DocumentKind.ID_CARD)
    Document.objects.filter(pk=older.pk).update(uploaded_at=timezone.now() - dt.timedelta(days=3))
    return [older, newer]


def _rows(client, **query) -> list[str]:
    body = client.get(reverse("documents:queue"), query).content.decode()
    return [
        line.split('"')[0] for line in body.split('data-testid="queue-')[1:] if line[0].isdigit()
    ]


def test_the_queue_lists_waiting_documents_oldest_first(
    client_for, national_officer: User, waiting: list[Document]
) -> None:
    assert _rows(client_for(national_officer)) == [str(d.pk) for d in waiting]


def test_the_queue_filters_by_province_and_organisation(
    client_for, national_officer: User, waiting: list[Document], participant_jatim: Participant
) -> None:
    client = client_for(national_officer)
    assert _rows(client, province="35") == [str(waiting[1].pk)]
    organisation = participant_jatim.sending_organisation_id
    assert _rows(client, organisation=organisation) == [str(waiting[1].pk)]


def test_a_provincial_officer_sees_only_their_province(
    client_for, provincial_officer: User, waiting: list[Document]
) -> None:
    assert _rows(client_for(provincial_officer)) == [str(waiting[0].pk)]


def test_an_operator_may_not_open_the_queue(client_for, sender_operator: User) -> None:
    assert client_for(sender_operator).get(reverse("documents:queue")).status_code == 403


def test_a_participants_page_links_to_their_documents(
    client_for, national_officer: User, participant_user: User, participant_jateng: Participant
) -> None:
    officer_page = client_for(national_officer).get(
        reverse("participants:detail", args=[participant_jateng.pk])
    )
    checklist = reverse("documents:checklist", args=[participant_jateng.pk])
    assert f'href="{checklist}" data-testid="documents-link"' in officer_page.content.decode()
    own_page = client_for(participant_user).get(reverse("participants:mine"))
    assert f'href="{reverse("documents:mine")}"' in own_page.content.decode()


def test_the_review_page_shows_the_document_beside_the_data_it_proves(
    client_for, national_officer: User, waiting: list[Document], participant_jateng: Participant
) -> None:
    from jembatan.core.models import AccessLog

    client = client_for(national_officer)
    queue = client.get(reverse("documents:queue")).content.decode()
    ktp = waiting[0]
    assert f'data-testid="review-{ktp.pk}"' in queue
    page = client.get(reverse("documents:review", args=[ktp.pk])).content.decode()
    assert f'data="{reverse("documents:show", args=[ktp.pk])}"' in page  # a PDF, shown inline
    data = page.split('data-testid="document-data"')[1].split("</dl>")[0]
    for shown in (
        participant_jateng.nik,
        participant_jateng.full_name,
        participant_jateng.birth_place,
    ):
        assert shown in data
    image = client.get(reverse("documents:show", args=[ktp.pk]))
    assert image.status_code == 200 and image["Content-Type"] == ktp.content_type
    assert image["Content-Disposition"] == "inline" and image["X-Frame-Options"] == "SAMEORIGIN"
    assert "script" not in image["Content-Security-Policy"]
    assert AccessLog.objects.filter(purpose="documents.view", object_id=str(ktp.pk)).exists()
    done = client.post(reverse("documents:verify", args=[ktp.pk]), {"next": "queue"})
    assert done["Location"] == reverse("documents:queue")
    ktp.refresh_from_db()
    assert ktp.status == "verified"


def test_the_review_page_is_for_those_who_decide(
    client_for, sender_operator: User, other_provincial_officer: User, waiting: list[Document]
) -> None:
    ktp = waiting[0]  # Jawa Tengah
    for url in (
        reverse("documents:review", args=[ktp.pk]),
        reverse("documents:show", args=[ktp.pk]),
    ):
        assert client_for(sender_operator).get(url).status_code == 403
        assert client_for(other_provincial_officer).get(url).status_code == 404


def test_the_queue_pages_oldest_first_and_counts_all_that_waits(
    client_for, national_officer: User, upload: Callable[..., Document], sender_operator: User
) -> None:
    from jembatan.core.models import AccessLog
    from jembatan.participants.factories import ParticipantFactory

    people = ParticipantFactory.create_batch(51, sending_organisation=sender_operator.organisation)
    handed_in = [upload(person, sender_operator).pk for person in people]
    client = client_for(national_officer)

    first = client.get(reverse("documents:queue"))
    assert [d.pk for d in first.context["rows"]] == handed_in[:50]
    assert "51 documents waiting" in first.content.decode()
    cursor = first.context["page"].next_cursor
    assert f'href="?after={cursor}"' in first.content.decode()

    second = client.get(reverse("documents:queue"), {"after": cursor})
    assert [d.pk for d in second.context["rows"]] == handed_in[50:]
    assert second.context["page"].next_cursor is None
    assert "51 documents waiting" in second.content.decode()
    assert AccessLog.objects.filter(actor=national_officer, purpose="documents.queue").count() == 2
