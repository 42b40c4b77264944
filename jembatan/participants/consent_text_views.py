"""The consent texts: every version, and a new one published by the national administrator."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from jembatan.core.access import allow
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, Role
from jembatan.participants.forms import ConsentTextForm
from jembatan.participants.models import ConsentPurpose, ConsentText
from jembatan.participants.selectors import current_consent_text
from jembatan.participants.services.consent_texts import consent_text_publish, may_publish


def _initial(purpose: str) -> dict[str, str]:
    """The form starts from the text in force, so a change is an edit of it."""
    current = current_consent_text(purpose)
    if current is None:
        return {"purpose": purpose}
    return {
        "purpose": purpose,
        "title_id": current.title_id,
        "title_en": current.title_en,
        "body_id": current.body_id,
        "body_en": current.body_en,
    }


@allow(NATIONAL, Role.AUDITOR)
def consent_texts(request: HttpRequest) -> HttpResponse:
    """Every version of every consent text, newest first; the administrator publishes a new one.

    ``?tujuan=`` chooses which text the form starts from.
    """
    purpose = request.GET.get("tujuan", ConsentPurpose.PRIVACY_NOTICE)
    if purpose not in ConsentPurpose.values:
        purpose = ConsentPurpose.PRIVACY_NOTICE
    form = ConsentTextForm(request.POST or None, initial=_initial(purpose))
    if request.method == "POST" and form.is_valid():
        text = attempt(
            request,
            form,
            lambda: consent_text_publish(acting_user=request.user, **form.cleaned_data),
        )
        if text is not None:
            messages.success(
                request,
                _("Version %(version)s is published and in force from now.")
                % {"version": text.version},
            )
            return redirect("participants:consent_texts")
    context = {
        "texts": list(ConsentText.objects.order_by("purpose", "-version")),
        "purposes": ConsentPurpose.choices,
        "purpose": purpose,
        "form": form,
        "can_publish": may_publish(request.user),
    }
    return TemplateResponse(request, "participants/consent_texts.html", context)
