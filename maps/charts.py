"""Server-side SVG charts with their numbers written beside the bars and in hover titles (<title>)."""

from collections.abc import Sequence
from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOR = "#2b6cb0"
PREVIOUS_COLOR = "#a0aec0"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bar_chart(
    rows: Sequence[tuple[str, float]], *, width: int = 420, unit: str = "", label_px: int = 150
) -> SafeString:
    """Horizontal bars, one per (label, value), the value written at the end of each bar."""
    bar_h, gap = 16, 4
    height = max(1, len(rows)) * (bar_h + gap) + 4
    top = max((v for _, v in rows), default=0) or 1
    plot = width - label_px - 60
    parts = [f'<svg class="osc-chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    for i, (label, value) in enumerate(rows):
        y = i * (bar_h + gap) + 2
        w = max(1.0, plot * value / top) if value else 0
        text = escape(label)
        parts.append(
            f"<g><title>{text}: {_fmt(value)}{escape(unit)}</title>"
            f'<text x="{label_px - 6}" y="{y + 12}" text-anchor="end">{text[:28]}</text>'
            f'<rect x="{label_px}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{BAR_COLOR}"></rect>'
            f'<text x="{label_px + w + 4:.1f}" y="{y + 12}">{_fmt(value)}{escape(unit)}</text></g>'
        )
    if not rows:
        parts.append('<text x="4" y="14">no cases</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _label(bucket: datetime, granularity: str) -> str:
    return bucket.strftime("%Y-%m-%d" if granularity == "week" else "%Y-%m")


def trend_chart(
    current: Sequence[tuple[datetime, int]],
    previous: Sequence[tuple[datetime, int]],
    *,
    granularity: str,
    width: int = 460,
    height: int = 170,
) -> SafeString:
    """Cases per week or month (line) against the same buckets a year before (grey line)."""
    left, right, top_pad, bottom = 36, 8, 10, 24
    previous_by_bucket = {}
    for bucket, n in previous:
        try:
            previous_by_bucket[bucket.replace(year=bucket.year + 1)] = n
        except ValueError:
            previous_by_bucket[bucket.replace(year=bucket.year + 1, day=28)] = n
    buckets = sorted({b for b, _ in current} | set(previous_by_bucket))
    now_by_bucket = dict(current)
    peak = max([*now_by_bucket.values(), *previous_by_bucket.values(), 1])
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(1, len(buckets) - 1)

    def xy(i: int, n: int) -> tuple[float, float]:
        return left + i * step, top_pad + plot_h * (1 - n / peak)

    parts = [f'<svg class="osc-chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    parts.append(
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" y2="{top_pad + plot_h}" stroke="#cbd5e0"/>'
    )
    parts.append(f'<text x="{left - 4}" y="{top_pad + 8}" text-anchor="end">{_fmt(peak)}</text>')
    parts.append(f'<text x="{left - 4}" y="{top_pad + plot_h}" text-anchor="end">0</text>')
    for series, color in ((previous_by_bucket, PREVIOUS_COLOR), (now_by_bucket, BAR_COLOR)):
        points = [xy(i, series.get(b, 0)) for i, b in enumerate(buckets)]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>')
    for i, b in enumerate(buckets):
        now_n, before_n = now_by_bucket.get(b, 0), previous_by_bucket.get(b, 0)
        x, y = xy(i, now_n)
        label = escape(_label(b, granularity))
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{BAR_COLOR}">'
            f"<title>{label}: {_fmt(now_n)} (a year before: {_fmt(before_n)})</title></circle>"
        )
    if buckets:
        first, last = escape(_label(buckets[0], granularity)), escape(_label(buckets[-1], granularity))
        parts.append(f'<text x="{left}" y="{height - 6}">{first}</text>')
        parts.append(f'<text x="{width - right}" y="{height - 6}" text-anchor="end">{last}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def split_bar(parts_in: Sequence[tuple[str, int, str]], *, width: int = 420) -> SafeString:
    """One bar split into parts (label, value, colour), e.g. open vs closed, with the numbers written."""
    total = sum(v for _, v, _ in parts_in) or 1
    height = 24 + 16 * len(parts_in)
    parts = [f'<svg class="osc-chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    x = 0.0
    for i, (label, value, color) in enumerate(parts_in):
        w = width * value / total
        text = escape(label)
        parts.append(
            f"<g><title>{text}: {_fmt(value)} ({100 * value / total:.1f}%)</title>"
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="18" fill="{color}"></rect>'
            f'<rect x="0" y="{24 + 16 * i}" width="10" height="10" fill="{color}"></rect>'
            f'<text x="14" y="{33 + 16 * i}">{text}: {_fmt(value)} ({100 * value / total:.1f}%)</text></g>'
        )
        x += w
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
