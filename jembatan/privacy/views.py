"""Personal data export pages: the participant's own, and a national officer's on request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jembatan.core.access import allow
from jembatan.core.audit import record_access
from jembatan.core.password_check import recent_password
from jembatan.core.roles import NATIONAL, Role
from jembatan.documents.models import ExportFormat
from jembatan.participants.models import Participant
from jembatan.participants.selectors import own_participant, participant_for
from jembatan.privacy.export import PdfUnavailable
from jembatan.privacy.services.export import personal_data_export


class ExportForm(forms.Form):
    """Which format and language the person wants their data in."""

    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=ExportFormat.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)


class OfficerExportForm(ExportForm):
    """An officer exports only on the person's request, and says which request."""

    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            (ExportFormat.JSON, ExportFormat.JSON.label),
            (ExportFormat.PDF, ExportFormat.PDF.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason and request reference"),
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "E.g. the participant's written request of 3 March, letter no. …; it is recorded."
        ),
    )


def _initial() -> dict[str, Any]:
    return {"format": ExportFormat.JSON, "language": translation.get_language() or "id"}


def _download(request: HttpRequest, participant: Participant, form: ExportForm) -> HttpResponse:
    exported = personal_data_export(
        participant=participant,
        acting_user=request.user,
        fmt=ExportFormat(form.cleaned_data["format"]),
        language=form.cleaned_data["language"],
        reason=form.cleaned_data.get("reason", ""),
        request=request,
    )
    response = HttpResponse(exported.content, content_type=exported.media_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _page(
    request: HttpRequest, participant: Participant, form: ExportForm, *, own: bool
) -> HttpResponse:
    """The form, or the file when it is valid; a PDF failure keeps the form with its reason."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            return _download(request, participant, form)
        except PdfUnavailable:
            form.add_error(
                "format",
                _(
                    "The PDF cannot be made on this server right now (its PDF libraries are "
                    "missing). Choose JSON instead: it holds exactly the same data."
                ),
            )
            status = 503
    context = {"form": form, "participant": participant, "own": own}
    return TemplateResponse(request, "privacy/export_form.html", context, status=status)


@allow(Role.PARTICIPANT)
def export_mine(request: HttpRequest) -> HttpResponse:
    """A participant downloads everything held about them and its processing history."""
    participant = own_participant(request.user)
    if participant is None:
        raise Http404
    form = ExportForm(request.POST or None, initial=_initial())
    return _page(request, participant, form, own=True)


@allow(NATIONAL)
@recent_password
def export_for_participant(request: HttpRequest, pk: int) -> HttpResponse:
    """A national officer exports a participant's data on their request (reason recorded)."""
    participant = participant_for(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="participants.export_page",
        instance=participant,
        request=request,
    )
    form = OfficerExportForm(request.POST or None, initial=_initial())
    return _page(request, participant, form, own=False)
