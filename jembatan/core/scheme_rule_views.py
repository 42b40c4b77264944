"""The programmes' rules and legal frame, readable by anyone; new versions by the administrator."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from jembatan.core import legal_frame, scheme_rules
from jembatan.core.access import allow, public, role_of
from jembatan.core.forms import SchemeRulesForm
from jembatan.core.models import SchemeRuleSet
from jembatan.core.refusals import attempt
from jembatan.core.roles import Role
from jembatan.core.scheme_rules import Rule
from jembatan.core.services.scheme_rules import scheme_rules_publish


def _frame(programme: str) -> legal_frame.SchemeFrame:
    frame = legal_frame.frame_for(programme)
    if frame is None:
        raise Http404
    return frame


@public
def scheme_rules_index(request: HttpRequest) -> HttpResponse:
    """Every programme: its legal regime and licence type, and its rules in force, with sources."""
    current = scheme_rules.rules_on()
    programmes = [
        (frame, [r for r in current.get(code, ())])
        for code, frame in legal_frame.scheme_frames().items()
    ]
    return TemplateResponse(
        request,
        "core/scheme_rules.html",
        {
            "programmes": programmes,
            "regulations": legal_frame.regulations().values(),
            "organisers": legal_frame.organiser_types().values(),
        },
    )


@public
def scheme_rules_history(request: HttpRequest, programme: str) -> HttpResponse:
    """Every version of one programme's rules, newest first, each with its source and reason."""
    frame = _frame(programme)
    versions = [
        (version, [Rule.from_dict(r) for r in version.rules])
        for version in SchemeRuleSet.objects.filter(programme=programme)
    ]
    return TemplateResponse(
        request,
        "core/scheme_rules_history.html",
        {
            "frame": frame,
            "versions": versions,
            "can_publish": role_of(request.user) == Role.NATIONAL_ADMIN,
        },
    )


@allow(Role.NATIONAL_ADMIN)
def scheme_rules_new_version(request: HttpRequest, programme: str) -> HttpResponse:
    """Publish a new version of one programme's rules (the current one is kept as history)."""
    frame = _frame(programme)
    current = scheme_rules.rule_set_on(programme)
    initial = {
        "text": scheme_rules.rules_as_text(Rule.from_dict(r) for r in current.rules)
        if current
        else ",".join(scheme_rules.COLUMNS) + "\n",
        "source": current.source if current else "",
    }
    form = SchemeRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        published = attempt(
            request,
            form,
            lambda: scheme_rules_publish(
                programme=programme, acting_user=request.user, **form.cleaned_data
            ),
        )
        if published is not None:
            messages.success(
                request,
                _("Version %(version)s of the rules has been published.")
                % {"version": published.version},
            )
            return redirect("core:scheme_rules_history", programme=programme)
    return TemplateResponse(
        request, "core/scheme_rules_form.html", {"form": form, "frame": frame, "current": current}
    )
