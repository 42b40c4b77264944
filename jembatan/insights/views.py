"""The home page (one per role, showing what that role has to do next) and the training gap."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from jembatan.core.access import allow, signed_in
from jembatan.core.replica import reads_replica
from jembatan.insights.gap import gap_view
from jembatan.insights.home import home_for
from jembatan.training.rules import SEE_GAP


@signed_in
@reads_replica
def home(request: HttpRequest) -> HttpResponse:
    """Show the signed-in person their tasks and figures."""
    page = home_for(request.user)
    return TemplateResponse(request, page.template, {"tasks": page.tasks, **page.context})


@allow(SEE_GAP)
def training_gap(request: HttpRequest) -> HttpResponse:
    """Demand per occupation against people in training and certified."""
    return TemplateResponse(request, "insights/gap.html", {"view": gap_view()})
