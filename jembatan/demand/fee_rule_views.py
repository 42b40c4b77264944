"""Fee rules: every rule with its period; the national administrator adds and ends them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.core.access import allow, role_of
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, Role
from jembatan.demand.forms import FeeRuleCloseForm, FeeRuleForm
from jembatan.demand.models import FeeRule
from jembatan.demand.services.planning import fee_rule_close, fee_rule_set

KEEPER = Role.NATIONAL_ADMIN


def _page(
    request: HttpRequest,
    form: FeeRuleForm | None,
    closing: int | None = None,
    close_form: FeeRuleCloseForm | None = None,
) -> HttpResponse:
    rules = list(
        FeeRule.objects.select_related("country").order_by("country", "scheme", "-valid_from")
    )
    context = {
        "rules": rules,
        "form": form,
        "closing": closing,
        "close_form": close_form or FeeRuleCloseForm(),
        "keeper": role_of(request.user) == KEEPER,
    }
    return TemplateResponse(request, "demand/fee_rules.html", context)


@allow(NATIONAL, Role.AUDITOR)
def fee_rules(request: HttpRequest) -> HttpResponse:
    """Every fee rule, current and past, by country and programme."""
    return _page(request, FeeRuleForm() if role_of(request.user) == KEEPER else None)


@require_POST
@allow(KEEPER)
def fee_rule_add(request: HttpRequest) -> HttpResponse:
    """Record a new rule through ``fee_rule_set`` (the one it replaces ends the day before)."""
    form = FeeRuleForm(request.POST)
    if form.is_valid():
        rule = attempt(
            request, form, lambda: fee_rule_set(acting_user=request.user, **form.cleaned_data)
        )
        if rule is not None:
            messages.success(request, _("The fee rule is recorded."))
            return redirect("demand:fee_rules")
    return _page(request, form)


@require_POST
@allow(KEEPER)
def fee_rule_close_view(request: HttpRequest, fee_rule_pk: int) -> HttpResponse:
    """End a rule in force on a day, with the reason (``fee_rule_close``)."""
    rule = get_object_or_404(FeeRule, pk=fee_rule_pk)
    form = FeeRuleCloseForm(request.POST)
    if form.is_valid():
        closed = attempt(
            request,
            form,
            lambda: fee_rule_close(rule=rule, acting_user=request.user, **form.cleaned_data),
        )
        if closed is not None:
            messages.success(request, _("The fee rule is ended."))
            return redirect("demand:fee_rules")
    return _page(request, FeeRuleForm(), closing=rule.pk, close_form=form)
