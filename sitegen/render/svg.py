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
    years = list(range(min(counts), max(counts) + 1))
    peak = max(counts.values()) or 1
    step = BAR_WIDTH + GAP
    width = LEFT + GAP + step * len(years)
    height = CHART_HEIGHT + LABEL_SPACE
    summary = ", ".join(f"{y}: {counts.get(y, 0)}" for y in years)
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f'<title id="{chart_id}-t">{escape(label)}</title>',
        f'<desc id="{chart_id}-d">{escape(summary)}</desc>',
    ]
    for i, year in enumerate(years):
        n = counts.get(year, 0)
        bar = round(n / peak * (CHART_HEIGHT - 18))
        x = LEFT + GAP + i * step
        y = CHART_HEIGHT - bar
        parts.append(f'<rect class="bar" x="{x}" y="{y}" width="{BAR_WIDTH}" height="{bar}"/>')
        if n:
            parts.append(
                f'<text class="count" x="{x + BAR_WIDTH // 2}" y="{y - 4}" '
                f'text-anchor="middle">{n}</text>'
            )
        parts.append(
            f'<text class="year" x="{x + BAR_WIDTH // 2}" y="{CHART_HEIGHT + 14}" '
            f'text-anchor="end" transform="rotate(-45 {x + BAR_WIDTH // 2} {CHART_HEIGHT + 14})"'
            f">{year}</text>"
        )
    axis_y = CHART_HEIGHT
    parts.append(f'<line class="axis" x1="0" y1="{axis_y}" x2="{width}" y2="{axis_y}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
