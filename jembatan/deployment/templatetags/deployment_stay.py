"""``{% stay_of participant %}``: where a participant is in their stay abroad, on their page.

The registry's page includes ``deployment/_stay.html``, which loads this tag:
the participants app never imports deployment (it sits below it), the template
asks for the summary by name. What it shows is filtered by who asks, as
everywhere else.
"""

from __future__ import annotations

from typing import Any

from django import template

from jembatan.deployment.selectors import latest_deployment_of, next_stage

register = template.Library()


@register.inclusion_tag("deployment/_stay_summary.html", takes_context=True)
def stay_of(context: dict[str, Any], participant: Any) -> dict[str, Any]:
    """The latest deployment of ``participant`` the reader may see, and its next stage."""
    request = context.get("request")
    user = getattr(request, "user", None)
    deployment = latest_deployment_of(user, participant.pk) if participant is not None else None
    return {
        "deployment": deployment,
        "next_stage": next_stage(deployment) if deployment is not None else None,
        "own": bool(context.get("own")),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE", "id"),
    }
