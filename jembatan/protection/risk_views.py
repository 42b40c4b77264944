"""The licence risk view: sending organisations ranked by what their apprentices report.

Officers of the ministry (the country) and of a province (its organisations)
read the ranking and one organisation's figures; the national officers, who
take licence decisions, open one from here through the licensing services
that exist, citing the cases that led to it. The decision's page here lists
those cases; the public register shows the decision, never the cases.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jembatan.core.access import allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, Role
from jembatan.organisations.forms import ACTION_FORMS
from jembatan.organisations.models import Licence, LicenceDecision
from jembatan.organisations.selectors import current_licence
from jembatan.organisations.workflows import LICENCE_WORKFLOW, LicenceAction, describe
from jembatan.protection.models import Case, CaseCategory
from jembatan.protection.risk_selectors import (
    cases_for_sanction,
    decisions_from_cases,
    risk_figures,
    risk_ranking,
    sending_organisation_for,
)
from jembatan.protection.services.sanctions import FROM_RISK, sanction_from_cases

READERS = (NATIONAL, Role.PROVINCIAL_OFFICER, Role.AUDITOR)


@allow(*READERS)
def risk_list(request: HttpRequest) -> HttpResponse:
    """Sending organisations in the reader's scope, the riskiest first."""
    ranking = risk_ranking(request.user, today=timezone.localdate())
    return TemplateResponse(request, "protection/risk/list.html", {"ranking": ranking})


def _actions(licence: Licence | None, user: Any) -> list[tuple[str, str]]:
    """The decisions the reader may open from here on ``licence`` now: (action, label)."""
    if licence is None or role_of(user) not in NATIONAL:
        return []
    return [
        (str(a), describe(a)) for a in FROM_RISK if licence.status in LICENCE_WORKFLOW[a].sources
    ]


@allow(*READERS)
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation's figures: by category, per 100 abroad, the trend; the decisions."""
    organisation = sending_organisation_for(request.user, pk)
    figures = risk_figures([organisation], today=timezone.localdate())[0]
    licence = current_licence(organisation)
    categories = dict(CaseCategory.choices)
    context = {
        "organisation": organisation,
        "figures": figures,
        "by_category": [(categories.get(c, c), o, s) for c, o, s in figures.by_category()],
        "licence": licence,
        "actions": _actions(licence, request.user),
        "decisions": list(decisions_from_cases(organisation)),
    }
    return TemplateResponse(request, "protection/risk/detail.html", context)


class CaseChoice(forms.ModelMultipleChoiceField):
    """The cases a decision cites, each named by code, category, status and outcome."""

    def label_from_instance(self, obj: Any) -> str:
        case: Case = obj
        parts = [case.code, case.get_category_display(), case.get_status_display()]
        if case.outcome:
            parts.append(case.get_outcome_display())
        return " · ".join(str(p) for p in parts)


def _decision_form(action: LicenceAction, cases: Any, data: Any, files: Any) -> forms.Form:
    base = ACTION_FORMS[action]
    fields = {
        "cases": CaseChoice(
            label=gettext_lazy("Cases that lead to this decision"),
            queryset=cases,
            widget=forms.CheckboxSelectMultiple,
            help_text=gettext_lazy(
                "They are kept with the decision for the ministry; the public register never "
                "shows them. Write the reason so that it names no person."
            ),
        )
    }
    form_class = type("RiskDecisionForm", (base,), fields)
    form: forms.Form = form_class(data, files)
    return form


def _chosen(action: str) -> LicenceAction:
    try:
        chosen = LicenceAction(action)
    except ValueError:
        raise Http404 from None
    if chosen not in FROM_RISK:
        raise Http404
    return chosen


@allow(NATIONAL)
def risk_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A warning, an improvement order, a suspension or a revocation, citing cases."""
    organisation = sending_organisation_for(request.user, pk)
    chosen = _chosen(action)
    licence = current_licence(organisation)
    if licence is None:
        raise Http404
    cases = cases_for_sanction(organisation)
    posted = request.method == "POST"
    form = _decision_form(chosen, cases, request.POST if posted else None, request.FILES or None)
    if posted and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "cases"}
        decision = attempt(
            request,
            form,
            lambda: sanction_from_cases(
                licence=licence,
                action=chosen,
                cases=list(form.cleaned_data["cases"]),
                data=data,
                acting_user=request.user,
            ),
        )
        if decision is not None:
            messages.success(request, _("Done: %(action)s.") % {"action": describe(chosen)})
            return redirect("risk:decision", decision_pk=decision.pk)
    context = {
        "organisation": organisation,
        "licence": licence,
        "form": form,
        "title": describe(chosen),
    }
    return TemplateResponse(
        request, "protection/risk/decide.html", context, status=400 if form.errors else 200
    )


@allow(NATIONAL, Role.AUDITOR)
def decision_cases(request: HttpRequest, decision_pk: int) -> HttpResponse:
    """A licence decision taken from the risk view and the cases that led to it."""
    decision = (
        LicenceDecision.objects.select_related("licence__organisation")
        .filter(pk=decision_pk, cited_cases__isnull=False)
        .distinct()
        .first()
    )
    if decision is None:
        raise Http404
    cases = list(Case.objects.filter(cited_by__decision=decision).order_by("reported_at", "id"))
    for case in cases:
        record_access(
            acting_user=request.user,
            purpose="protection.risk.decision_cases",
            instance=case,
            request=request,
        )
    context = {"decision": decision, "organisation": decision.licence.organisation, "cases": cases}
    return TemplateResponse(request, "protection/risk/decision.html", context)
