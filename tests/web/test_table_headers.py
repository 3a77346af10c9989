"""Every table column in every template has a header in words.

A column with an empty header is announced by screen readers as nothing, and on a phone,
where tables become stacked cards labelled by their headers, its cells have no label. The
walk of issue 17 found three (axe-core's "empty-table-header").
"""

from __future__ import annotations

import re
from pathlib import Path

import dhakira

TEMPLATES = Path(dhakira.__file__).parent / "apps"
EMPTY_HEADER = re.compile(r"<th(\s[^>]*)?>\s*</th>")


def test_no_template_has_a_table_header_without_words() -> None:
    templates = sorted(TEMPLATES.glob("*/templates/**/*.html"))
    assert len(templates) > 50  # the glob found the templates, not nothing
    empty = [f"{path.relative_to(TEMPLATES)}: {m.group(0)}"
             for path in templates for m in EMPTY_HEADER.finditer(path.read_text())]
    assert empty == []


def test_the_check_sees_an_empty_header() -> None:
    assert EMPTY_HEADER.search('<tr><th class="num"></th></tr>')
    assert not EMPTY_HEADER.search("<th>{% translate 'Chart' %}</th>")
