"""API: who am I, and the reference tables."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from jembatan.api.access import public, roles
from jembatan.core.models import Region
from jembatan.core.roles import ALL_ROLES

router = Router(tags=["core"])


class MeOut(Schema):
    """The signed-in person and their scope."""

    username: str
    role: str
    organisation_id: int | None
    province_code: str | None


class RegionOut(Schema):
    """A Kemendagri region."""

    code: str
    name: str
    level: str
    parent_code: str | None


@router.get("/me", response=MeOut, **roles(ALL_ROLES))
def me(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person, their role and the scope it applies to."""
    user: Any = request.user
    return {
        "username": user.username,
        "role": user.role,
        "organisation_id": user.organisation_id,
        "province_code": user.province_id,
    }


@router.get("/regions", response=list[RegionOut], **public())
def regions(request: HttpRequest, level: str = "", parent: str = "") -> list[dict[str, Any]]:
    """Provinces, regencies and cities by Kemendagri code (public reference data)."""
    rows = Region.objects.all()
    if level:
        rows = rows.filter(level=level)
    if parent:
        rows = rows.filter(parent_id=parent)
    return [
        {"code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent_id}
        for r in rows.order_by("code")
    ]
