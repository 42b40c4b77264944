"""One answer to "who is the client": proxy headers believed only behind the proxy."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from jembatan.core.audit import client_ip

FORWARDED = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}


def test_without_the_proxy_setting_no_header_is_believed() -> None:
    with override_settings(JEMBATAN_BEHIND_PROXY=False):
        assert client_ip(RequestFactory().get("/", **FORWARDED)) == "127.0.0.1"


def test_behind_the_proxy_the_address_it_saw_is_the_client() -> None:
    """The last entry is the proxy's; what the client wrote further left is not believed."""
    with override_settings(JEMBATAN_BEHIND_PROXY=True):
        assert client_ip(RequestFactory().get("/", **FORWARDED)) == "203.0.113.9"
        garbage = FORWARDED | {"HTTP_X_FORWARDED_FOR": "not an address"}
        assert client_ip(RequestFactory().get("/", **garbage)) == "127.0.0.1"
