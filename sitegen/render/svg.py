"""Papers-per-year bar chart as inline SVG: no script, no external request, prints well.

Colours come from CSS classes (``currentColor`` and theme variables), so the chart follows
dark mode; the numbers are also given as text for screen readers via ``<title>``/``<desc>``.
"""

from __future__ import annotations

from markupsafe import Markup, escape

BAR_WIDTH = 24
GAP = 8
CHART_HEIGHT = 120
LABEL_SPACE = 36
LEFT = 24  # room for the first rotated year label


def year_chart(counts: dict[int, int], *, chart_id: str, label: str) -> Markup:
    """Bars for every year from the first to the last (gaps shown as empty years)."""
    if not counts:
        return Markup("")
    first, last = min(counts), max(counts)
    years = range(first, last + 1)
    peak = max(counts.values()) or 1
    step = BAR_WIDTH + GAP
    width = LEFT + GAP + step * len(years)
    height = CHART_HEIGHT + LABEL_SPACE
    get = counts.get
    summary = ", ".join([f"{y}: {get(y, 0)}" for y in years])
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f'<title id="{chart_id}-t">{escape(label)}</title>',
        f'<desc id="{chart_id}-d">{escape(summary)}</desc>',
    ]
    append = parts.append
    scale = CHART_HEIGHT - 18
    x = LEFT + GAP
    for year in years:
        n = get(year, 0)
        bar = round(n / peak * scale)
        y = CHART_HEIGHT - bar
        mid = x + _HALF
        append(f'<rect class="bar" x="{x}" y="{y}" width="{BAR_WIDTH}" height="{bar}"/>')
        if n:
            append(f'<text class="count" x="{mid}" y="{y - 4}" text-anchor="middle">{n}</text>')
        append(f'<text class="year" x="{mid}" y="{_LABEL_Y}" text-anchor="end" '
               f'transform="rotate(-45 {mid} {_LABEL_Y})">{year}</text>')
        x += step
    append(f'<line class="axis" x1="0" y1="{CHART_HEIGHT}" x2="{width}" y2="{CHART_HEIGHT}"/>')
    append("</svg>")
    return Markup("".join(parts))


_HALF = BAR_WIDTH // 2
_LABEL_Y = CHART_HEIGHT + 14
