"""``{{ amount|money:currency }}``: an amount in the reader's number format with its symbol.

Indonesian pages read ``¥185.000`` and ``Rp 15.000.000``; English ones ``¥185,000``.
Currencies without minor units (yen, rupiah, won) show none; others show two places.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()

# Symbol and decimal places shown, by ISO 4217 code.
CURRENCIES: dict[str, tuple[str, int]] = {
    "JPY": ("¥", 0),
    "IDR": ("Rp ", 0),
    "KRW": ("₩", 0),
    "USD": ("US$", 2),
    "AUD": ("A$", 2),
    "QAR": ("QAR ", 2),
    "TWD": ("NT$", 0),
}


@register.filter
def money(amount: object, currency: str = "") -> str:
    """``amount`` in ``currency``, grouped and with decimals as the page's language writes them."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    symbol, places = CURRENCIES.get(currency, (f"{currency} " if currency else "", 2))
    text = formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{symbol}{text}"
