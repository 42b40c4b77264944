"""Money in the page's language: ¥185.000 and Rp 15.000.000 in Indonesian, ¥185,000 in English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from jembatan.core.templatetags.money import money


@pytest.mark.parametrize(
    ("language", "amount", "currency", "shown"),
    [
        ("id", Decimal("185000.00"), "JPY", "¥185.000"),
        ("id", Decimal("15000000"), "IDR", "Rp 15.000.000"),
        ("en", Decimal("185000.00"), "JPY", "¥185,000"),
        ("en", Decimal("1234.5"), "USD", "US$1,234.50"),
        ("id", Decimal("1234.5"), "USD", "US$1.234,50"),
        ("en", Decimal("10"), "XYZ", "XYZ 10.00"),
    ],
)
def test_amounts_follow_the_language_and_the_currency(
    language: str, amount: Decimal, currency: str, shown: str
) -> None:
    with translation.override(language):
        assert money(amount, currency) == shown
