"""Programme rules as versioned data: parsing, publishing a version, history, the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from jembatan.core.models import ChangeRecord, SchemeRuleSet
from jembatan.core.scheme_rules import parse_rules, rule_set_on, rules_as_text, rules_on
from jembatan.core.services.scheme_rules import scheme_rules_publish

pytestmark = pytest.mark.django_db
HEADER = "kind,condition,min,max,value,stage,name,name_id,source\n"
NEW_RULES = (
    HEADER + "age,education=smk,18,25,,selection,IM Japan: age,IM Japan: usia,Pengumuman 2026\n"
)


def _publish(user: object, text: str = NEW_RULES, **kwargs: object) -> SchemeRuleSet:
    values = {"source": "Pengumuman 2026", "reason": "New intake."} | kwargs
    return scheme_rules_publish(programme="im_japan", text=text, acting_user=user, **values)


def test_every_programme_starts_with_version_1_from_the_shipped_file() -> None:
    current = rules_on()
    assert set(current) == {"im_japan", "titp", "esd", "ssw", "eps", "other"}
    im_japan = rule_set_on("im_japan")
    assert im_japan is not None and im_japan.version == 1
    assert {r.kind for r in current["im_japan"]} == {"age", "education", "test", "physical"}
    assert all(r.source for rules in current.values() for r in rules)


def test_the_rules_read_back_as_the_text_an_officer_edits() -> None:
    rules = rules_on()["im_japan"]
    assert parse_rules(rules_as_text(rules)) == list(rules)


def test_publishing_closes_the_current_version_and_keeps_it(national_admin: object) -> None:
    before = rule_set_on("im_japan")
    published = _publish(national_admin)
    assert published.version == 2
    assert rule_set_on("im_japan") == published
    before.refresh_from_db()
    assert before.valid_to == timezone.localdate() - dt.timedelta(days=1)
    record = ChangeRecord.objects.get(operation="core.scheme_rules_publish")
    assert record.reason == "New intake."
    assert record.changes["version"] == {"before": 1, "after": 2}


def test_a_version_from_a_later_day_leaves_todays_rules_in_force(national_admin: object) -> None:
    later = timezone.localdate() + dt.timedelta(days=30)
    _publish(national_admin, valid_from=later)
    assert rule_set_on("im_japan").version == 1
    assert rule_set_on("im_japan", later).version == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("height,,1,,x,selection,a,b,c", "Line 2: the kind must be one of age, education"),
        ("age,,18,x,,selection,a,b,c", "Line 2: max must be a number such as 18 or 18.5."),
        ("age,,30,18,,selection,a,b,c", "Line 2: the minimum is above the maximum."),
        ("age,religion=x,18,,,selection,a,b,c", "Line 2: a condition is education=… or sex=…"),
        ("age,,18,,,selection,a,b,", "Line 2: every rule needs a name and its source."),
    ],
)
def test_a_bad_line_is_refused_and_nothing_is_published(
    national_admin: object, line: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _publish(national_admin, text=HEADER + line)
    assert refused.value.messages[0].startswith(message)
    assert SchemeRuleSet.objects.filter(programme="im_japan").count() == 1
    assert not ChangeRecord.objects.filter(operation="core.scheme_rules_publish").exists()


def test_the_rules_in_force_are_not_published_again(national_admin: object) -> None:
    text = rules_as_text(rules_on()["im_japan"])
    with pytest.raises(ValidationError) as refused:
        _publish(national_admin, text=text)
    assert refused.value.code == "rules_unchanged"


def test_only_a_national_administrator_publishes(national_officer: object) -> None:
    with pytest.raises(PermissionDenied):
        _publish(national_officer)
    assert SchemeRuleSet.objects.filter(programme="im_japan").count() == 1


def test_anyone_reads_the_rules_with_their_sources(client: Client) -> None:
    body = client.get("/referensi/aturan-program/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Kemnaker national selection announcement for IM Japan" in body
    assert "UU 18/2017" in body
    history = client.get("/referensi/aturan-program/im_japan/").content.decode()
    assert 'data-testid="version-1"' in history


def test_the_administrator_publishes_a_version_on_the_page(national_admin: object) -> None:
    client = Client()
    client.force_login(national_admin)
    url = "/referensi/aturan-program/im_japan/versi-baru/"
    assert "age,education=smk,18,26" in client.get(url).content.decode()
    response = client.post(
        url, {"text": NEW_RULES, "source": "Pengumuman 2026", "reason": "New intake."}
    )
    assert response.status_code == 302
    assert rule_set_on("im_japan").version == 2


def test_a_refused_version_on_the_page_keeps_what_was_typed(national_admin: object) -> None:
    client = Client()
    client.force_login(national_admin)
    typed = HEADER + "age,,30,18,,selection,a,b,c"
    response = client.post(
        "/referensi/aturan-program/im_japan/versi-baru/",
        {"text": typed, "source": "x", "reason": "y"},
    )
    assert response.status_code == 200
    assert "the minimum is above the maximum" in response.content.decode()
    assert "age,,30,18" in response.content.decode()
    assert rule_set_on("im_japan").version == 1
