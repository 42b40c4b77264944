"""Everything Jembatan holds about one participant, and its processing history (UU PDP).

A person may obtain their personal data and the history of its processing
(UU PDP 27/2022). :func:`personal_data` gathers it; ``personal_data_export``
(``privacy/services/export.py``) records the hand-over (who, why, which format, a hash
of the file) and returns the file as JSON, PDF (WeasyPrint) or, for the
participant themself, a ZIP with the document files too.

The JSON schema ``jembatan.personal-data`` version 1 (UTF-8, keys stable)::

    {
      "schema": "jembatan.personal-data", "schema_version": 1,
      "generated_at": ISO-8601, "generated_by": username, "language": "id" | "en",
      "subject": {"participant_id": int, "full_name": str, "nik": str},
      "records": [                      # the participant first, then every record
        {"model": "app_label.model",    #   that points at them (account, consents,
         "title": str,                  #   status history, documents' metadata,
         "items": [{"id": ..., "fields": {field: value}}]}   # exports, ...)
      ],
      "change_history": [               # ChangeRecords about any of those records
        {"at", "actor", "operation", "action", "model", "object_id", "object",
         "changes": {field: {"before", "after"}}, "reason", "ip_address"}
      ],
      "access_log": [                   # who read those records, when and why
        {"at", "actor", "actor_role", "purpose", "method", "path", "model",
         "object_id", "ip_address"}
      ],
      "own_activity": {"changes": [...], "reads": [...]}   # done by the person's account
    }

Field values are JSON-safe (dates ISO-8601, foreign keys as ids, choices as
their stored codes). Document files are never in the JSON: only their metadata
(name, size, type, SHA-256, status). Left out as internal (``LEFT_OUT``): where a
file is stored, and the secrets that open something (the password hash, the hash of
an invitation link or of a case reporter's secret, the registration form's token).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst

from jembatan.core.audit import actor_label, json_value
from jembatan.core.change_display import Names, lines_of, related_names
from jembatan.core.choices import stored_label
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.core.operations import operation_label
from jembatan.documents.files import read_content
from jembatan.documents.models import Document, ExportFormat, PersonalDataExport
from jembatan.participants.models import Participant
from jembatan.training.pdf import font_face_css, html_to_pdf

SCHEMA = "jembatan.personal-data"
SCHEMA_VERSION = 1
# Internal, not personal: where a file sits on disk, and the secrets that open something
# (a hash in the hands of whoever steals the file can be guessed at offline).
LEFT_OUT = {
    "documents.document": {"file"},
    "accounts.user": {"password"},
    "participants.participant": {"registration_token"},
    "participants.invitation": {"token_hash"},
    "protection.case": {"secret_hash"},
}
MEDIA_TYPES = {
    ExportFormat.JSON: "application/json; charset=utf-8",
    ExportFormat.PDF: "application/pdf",
    ExportFormat.ZIP: "application/zip",
}


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (pango, cairo) cannot be loaded here."""


@dataclass(frozen=True)
class ExportFile:
    """A finished export: the bytes handed over and how to name them."""

    content: bytes
    filename: str
    media_type: str
    record: PersonalDataExport


# --- gathering -------------------------------------------------------------------


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _fields(instance: models.Model) -> dict[str, Any]:
    skip = LEFT_OUT.get(_label(type(instance)), set())
    return {
        f.attname: json_value(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.name not in skip
    }


def _section(model: type[models.Model], rows: list[models.Model]) -> dict[str, Any]:
    return {
        "model": _label(model),
        "title": str(model._meta.verbose_name_plural),
        "items": [{"id": json_value(row.pk), "fields": _fields(row)} for row in rows],
    }


def related_records(participant: Participant) -> list[tuple[type[models.Model], list[Any]]]:
    """Every record that points at the participant, found from the models themselves.

    Walking the reverse relations means a model added later (consents, cases,
    contracts) is exported without anyone remembering to add it here.
    """
    found: list[tuple[type[models.Model], list[Any]]] = []
    for relation in Participant._meta.related_objects:
        if relation.many_to_many or relation.related_model is None:
            continue
        model = relation.related_model
        assert isinstance(model, type)
        rows = list(model._default_manager.filter(**{relation.field.name: participant}))
        if rows:
            found.append((model, rows))
    return sorted(found, key=lambda pair: _label(pair[0]))


def _records(participant: Participant) -> list[tuple[type[models.Model], list[Any]]]:
    records: list[tuple[type[models.Model], list[Any]]] = [(Participant, [participant])]
    if participant.user is not None:
        records.append((type(participant.user), [participant.user]))
    return records + related_records(participant)


def _about(records: list[tuple[type[models.Model], list[Any]]]) -> Q:
    condition = Q(pk__in=[])
    for model, rows in records:
        content_type = ContentType.objects.get_for_model(model)
        ids = [str(row.pk) for row in rows]
        condition |= Q(content_type=content_type, object_id__in=ids)
    return condition


def _change(row: ChangeRecord) -> dict[str, Any]:
    return {
        "at": json_value(row.at),
        "actor": row.actor_label,
        "operation": row.operation,
        "action": row.action,
        "model": f"{row.content_type.app_label}.{row.content_type.model}",
        "object_id": row.object_id,
        "object": row.object_repr,
        "changes": row.changes,
        "reason": row.reason,
        "ip_address": row.ip_address,
    }


def _read(row: AccessLog) -> dict[str, Any]:
    content_type = row.content_type
    return {
        "at": json_value(row.at),
        "actor": row.actor_label,
        "actor_role": row.actor_role,
        "purpose": row.purpose,
        "method": row.method,
        "path": row.path,
        "model": f"{content_type.app_label}.{content_type.model}" if content_type else "",
        "object_id": row.object_id,
        "ip_address": row.ip_address,
    }


def _history(condition: Q) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    changes = ChangeRecord.objects.filter(condition).select_related("content_type")
    reads = AccessLog.objects.filter(condition).select_related("content_type")
    return [_change(c) for c in changes.order_by("at", "id")], [
        _read(r) for r in reads.order_by("at", "id")
    ]


def _own_activity(participant: Participant) -> dict[str, Any]:
    if participant.user_id is None:
        return {"changes": [], "reads": []}
    changes = ChangeRecord.objects.filter(actor_id=participant.user_id).order_by("at", "id")
    reads = AccessLog.objects.filter(actor_id=participant.user_id).order_by("at", "id")
    return {
        "changes": [_change(c) for c in changes.select_related("content_type")],
        "reads": [_read(r) for r in reads.select_related("content_type")],
    }


def personal_data(participant: Participant, *, generated_by: Any) -> dict[str, Any]:
    """The whole picture of one participant as a JSON-safe dict (schema in the module doc)."""
    records = _records(participant)
    changes, reads = _history(_about(records))
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": json_value(timezone.now()),
        "generated_by": actor_label(generated_by),
        "language": translation.get_language(),
        "subject": {
            "participant_id": participant.pk,
            "full_name": participant.full_name,
            "nik": participant.nik,
        },
        "records": [_section(model, rows) for model, rows in records],
        "change_history": changes,
        "access_log": reads,
        "own_activity": _own_activity(participant),
    }


# --- rendering -------------------------------------------------------------------


def as_json(data: dict[str, Any]) -> bytes:
    """UTF-8 JSON, keys sorted so two exports of the same data compare equal."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def _require_weasyprint() -> None:
    """Raise :class:`PdfUnavailable` when WeasyPrint or its libraries cannot load here."""
    try:
        # Imported here: loading pango and cairo is slow and may fail; only a PDF needs them.
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error


def when(iso: str | None) -> str:
    """An ISO moment as the rest of the app writes it: ``5 Desember 2026, 04.46``.

    In Jakarta time and the active language, by the change history's formatter
    (``core/change_display.py``), which writes the records' moments too.
    """
    if not iso:
        return "—"
    [line] = lines_of(ChangeRecord, {"at": iso})
    return line.after


Entries = list[tuple[type[models.Model], Mapping[str, Any]]]
EMPTY_VALUES: tuple[Any, ...] = (None, "", [], {})


def _entries(data: dict[str, Any]) -> Entries:
    return [
        (apps.get_model(section["model"]), item["fields"])
        for section in data["records"]
        for item in section["items"]
    ]


def record_names(data: dict[str, Any]) -> Names:
    """The names of what the records point at, one query per kind whatever their number.

    Organisations, places and reference data by name (``change_display.NAMED_KINDS``),
    accounts by user name as the change history's "Who" shows them, the person by
    their own name; anyone else (a record flagged as maybe the same person) by id only.
    """
    entries = _entries(data)
    names = dict(related_names(entries))
    names.update(_account_names(entries))
    names[(Participant, data["subject"]["participant_id"])] = data["subject"]["full_name"]
    return names


def _account_names(entries: Entries) -> dict[tuple[type[models.Model], Any], str]:
    user = get_user_model()
    ids = {
        fields[field.attname]
        for model, fields in entries
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user and fields.get(field.attname)
    }
    return {(user, pk): actor_label(row) for pk, row in user._base_manager.in_bulk(ids).items()}


def _readable_item(
    model: type[models.Model], fields: Mapping[str, Any], names: Names
) -> list[tuple[str, str]]:
    return [
        (line.label, "—" if fields[line.key] in EMPTY_VALUES else line.after)
        for line in lines_of(model, fields, names)
    ]


def readable_records(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of ``data`` for people to read, in the active language.

    Labels, choices, moments, dates and amounts as the change history writes them
    (``core/change_display.py``), codes their model names in words, what a record
    points at by name (:func:`record_names`).
    """
    names = record_names(data)
    sections = []
    for section in data["records"]:
        model = apps.get_model(section["model"])
        items = [_readable_item(model, item["fields"], names) for item in section["items"]]
        sections.append({"title": section["title"], "model": section["model"], "items": items})
    return sections


def _operation(change: dict[str, Any]) -> str:
    """The operation in words, as the change history page says it (``core/operations.py``)."""
    action = stored_label(ChangeRecord._meta.get_field("action"), change["action"])
    return operation_label(change["operation"], action)


def _record(label: str, object_id: str) -> str:
    """``Dokumen #12``: the kind of record in the active language, and its id."""
    if not label:
        return "—"
    model = _model(label)
    kind = capfirst(str(model._meta.verbose_name)) if model is not None else label
    return f"{kind} #{object_id}"


def changes_text(changes: Any, model: str = "", names: Names | None = None) -> str:
    """``field: before → after`` lines in the active language (core/change_display.py).

    ``model`` is the record's ``app_label.model``: its fields' names and choices are
    shown in words, and the organisations, places and self-named codes in ``names``
    (``related_names``) by name; a shape that is not a mapping is shown as its JSON.
    """
    if not isinstance(changes, dict):
        return json.dumps(changes, ensure_ascii=False)
    return "\n".join(
        f"{line.label}: {line.before} → {line.after}"
        if line.pair
        else f"{line.label}: {line.after}"
        for line in lines_of(_model(model), changes, names)
    )


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label) if label else None
    except LookupError:
        return None


def _history_rows(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = related_names((_model(c["model"]), c["changes"]) for c in changes)
    return [
        {
            **c,
            "at": when(c["at"]),
            "what": _operation(c),
            "record": _record(c["model"], c["object_id"]),
            "changes_text": changes_text(c["changes"], c["model"], names),
        }
        for c in changes
    ]


def _read_row(read: dict[str, Any]) -> dict[str, Any]:
    return {**read, "at": when(read["at"]), "record": _record(read["model"], read["object_id"])}


def as_pdf(data: dict[str, Any]) -> bytes:
    """A readable PDF of the same data, in the active language."""
    _require_weasyprint()  # before any work
    context = {
        "data": data,
        "generated_at": when(data["generated_at"]),
        "sections": readable_records(data),
        "history": _history_rows(data["change_history"]),
        "reads": [_read_row(r) for r in data["access_log"]],
        # A partner's or host company's name in Japanese prints in the shipped font (ADR 0011).
        "font_face": font_face_css(),
    }
    html = render_to_string("privacy/export_pdf.html", context)
    try:
        return html_to_pdf(html)  # as certificates are made: the @font-face fonts embedded
    except OSError as error:
        raise PdfUnavailable(str(error)) from error


def as_zip(data: dict[str, Any], participant: Participant) -> bytes:
    """The JSON plus every version of every document file, named by kind and id."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("personal-data.json", as_json(data))
        for document in Document.objects.filter(participant=participant).order_by("id"):
            name = document.download_name.replace("/", "_")
            archive.writestr(
                f"documents/{document.pk}-{document.kind}-{name}", read_content(document)
            )
    return buffer.getvalue()


def render(data: dict[str, Any], fmt: ExportFormat, participant: Participant) -> bytes:
    """The bytes of ``fmt``; raises :class:`PdfUnavailable` if a PDF cannot be made here."""
    if fmt == ExportFormat.PDF:
        return as_pdf(data)
    if fmt == ExportFormat.ZIP:
        return as_zip(data, participant)
    return as_json(data)
