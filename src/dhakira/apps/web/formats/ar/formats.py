"""Arabic number formats: Western digits with "." for decimals and "," between thousands.

Dhakira writes Arabic pages with Western digits (as Iraqi documents and its readers do). Django's
Arabic formats use the Maghreb convention ("," decimal, "." thousands), so ``1.152`` meant a
thousand and fifty-two on an Arabic page and about one on the English one: a figure a lawyer
could misread when comparing the two versions of a brief. These are the Unicode CLDR symbols for
Arabic written in Western digits, the same as English, so a number reads the same in both.
Anything not set here (dates) still comes from Django's Arabic formats.
"""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
