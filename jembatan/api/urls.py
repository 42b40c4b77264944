"""The API instance: ``/api/v1/``, OpenAPI at ``/api/v1/openapi.json``, docs at ``/api/v1/docs``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from jembatan.api import (
    core,
    demand,
    deployment,
    matching,
    organisations,
    participants,
    protection,
    selection,
    training,
)
from jembatan.api.access import TWO_FACTOR_REQUIRED, NobodyAuth, SecondFactorPending

api = NinjaAPI(
    title="Jembatan API",
    version="1",
    description="Overseas apprenticeship programme. Every operation lists the roles "
    "that may call it under `x-jembatan-roles`; results are filtered by the caller's scope.",
    urls_namespace="api",
    auth=NobodyAuth(),
)
api.add_router("/", core.router)
api.add_router("/", participants.router)
api.add_router("/", organisations.router)
api.add_router("/", demand.router)
api.add_router("/", training.router)
api.add_router("/", selection.router)
api.add_router("/", matching.router)
api.add_router("/", deployment.router)
api.add_router("/", protection.router)


@api.exception_handler(SecondFactorPending)
def second_factor_pending(request: HttpRequest, exc: SecondFactorPending) -> HttpResponse:
    """403 with a code a client can act on: finish signing in with the second factor."""
    detail = _("Finish signing in with your second factor (/akun/dua-langkah/kode/) first.")
    return api.create_response(request, {"detail": detail, "code": TWO_FACTOR_REQUIRED}, status=403)
