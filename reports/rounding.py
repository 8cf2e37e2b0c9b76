"""The one rounding rule for HR's percentages: half up, to one decimal, the way people round
by hand (14 of 18 is 77,8 %, 8,35 % is 8,4 %). The page's tables, the charts' words and
the exported files all go through `percent`, so the same rate reads the same everywhere.

Never `round()` (a float's 8,35 is 8,3499…, and Python rounds ties to even) and never
Django's number formatting of a float (it cuts the decimals off: 77,7 %).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats

ONE_DECIMAL = Decimal("0.1")


def percent(rate) -> Decimal:
    """A rate (0..1) as a percentage, rounded half up to one decimal: 14/18 → 77.8.

    A float is read as the shortest decimal that is that float (its `str`), the figure it
    stands for: 0.0835 (835 of 10 000 hours) is 8.35 %, rounded to 8.4, not the
    0.08349999… the float holds."""
    return (Decimal(str(rate)) * 100).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def percent_text(rate) -> str:
    """A rate as the page shows it, in the language's style: "77,8 %" in Swedish."""
    return f"{formats.number_format(percent(rate), 1)} %"


def one_decimal(value) -> Decimal:
    """An average (of ratings 1–5) rounded half up to one decimal, the same way: 3.85 → 3.9."""
    return Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
