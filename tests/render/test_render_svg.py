"""The papers-per-year chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sitegen.render.svg import year_chart


def test_chart_has_a_bar_per_year_including_gaps() -> None:
    svg = str(year_chart({2020: 2, 2022: 4}, chart_id="c", label="Papers <per> year"))
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    bars = root.findall(f"{ns}rect") or root.findall("rect")
    assert len(bars) == 3
    heights = [int(b.get("height", "0")) for b in bars]
    assert heights[1] == 0 and heights[2] > heights[0] > 0
    assert root.get("role") == "img"
    assert "Papers &lt;per&gt; year" in svg
    assert "2020: 2, 2021: 0, 2022: 4" in svg


def test_empty_chart() -> None:
    assert str(year_chart({}, chart_id="c", label="x")) == ""


def test_chart_is_deterministic() -> None:
    a = year_chart({2019: 1, 2023: 7}, chart_id="c", label="x")
    assert a == year_chart({2023: 7, 2019: 1}, chart_id="c", label="x")
