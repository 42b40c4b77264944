"""The API instance: ``/api/v1/``, OpenAPI at ``/api/v1/openapi.json``, docs at ``/api/v1/docs``."""

from __future__ import annotations

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
from jembatan.api.access import NobodyAuth

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
