"""Indonesian date and number formats (PUEBI): 3 Desember 2026, 14.30, Rp 15.000.000.

Django's own Indonesian formats abbreviate the month ("3 Des. 2026"); Kemnaker's
letters write it in full.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H.i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H.i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
