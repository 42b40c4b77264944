"""The home page: one per role, showing what that role has to do next."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from jembatan.core.access import signed_in
from jembatan.insights.home import home_for


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """Show the signed-in person their tasks and figures."""
    page = home_for(request.user)
    return TemplateResponse(request, page.template, {"tasks": page.tasks, **page.context})
