"""The "next page" link of every keyset-paged list (``core/paging.py``), written once.

``{% next_page page %}`` links to the current address with ``after`` set to the
page's cursor (first), keeping every other filter of the query string (status, search,
kind…). ``target`` makes it an htmx link that swaps only the list;
``label`` replaces "Next page" where a list names its pages otherwise.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.translation import gettext as _

register = template.Library()


def next_page_query(current: QueryDict, cursor: Any) -> str:
    """The query string of the next page: ``after`` first, then the current filters."""
    query = QueryDict(mutable=True)
    query["after"] = str(cursor)
    for name, values in current.lists():
        if name != "after":
            query.setlist(name, values)
    return query.urlencode()


@register.inclusion_tag("includes/next_page.html", takes_context=True)
def next_page(
    context: dict[str, Any],
    page: Any,
    target: str = "",
    swap: str = "",
    label: str = "",
) -> dict[str, Any]:
    """The link to the page after ``page``, or nothing on the last page."""
    cursor = getattr(page, "next_cursor", None)
    request = context.get("request")
    query = next_page_query(request.GET, cursor) if cursor is not None and request else ""
    return {
        "href": f"?{query}" if query else "",
        "target": target,
        "swap": swap,
        "label": label or _("Next page"),
    }
