"""Jembatan's URLs plus the baseline the load benchmark compares every list with.

The baseline is the least a Django view can do for a list: one query for 50
participants, a table rendered from a one-line template, no scope, no paging, no
menu. Whatever a real list costs beyond it is Jembatan's own doing.
"""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as jembatan_urls
from jembatan.core.access import public
from jembatan.participants.models import Participant

TABLE = engines["django"].from_string(
    "<table>{% for pk, name, status in rows %}"
    "<tr><td>{{ pk }}</td><td>{{ name }}</td><td>{{ status }}</td></tr>{% endfor %}</table>"
)


@public
def baseline(request: HttpRequest) -> HttpResponse:
    rows = Participant.objects.order_by("pk").values_list("pk", "full_name", "status")[:50]
    return HttpResponse(TABLE.render({"rows": rows}))


urlpatterns = [path("bench/baseline/", baseline), *jembatan_urls]
