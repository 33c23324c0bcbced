"""Charts as SVG drawn on the server: no script, no remote asset, readable at 360 px.

Every chart stands beside the table it is drawn from (the table is the accessible version); the
SVG carries a ``<title>`` for screen readers and scales to the width of its container. Labels
are escaped here: the strings returned are safe to place in a page as they are.
"""

from __future__ import annotations

from html import escape

from lapor.analytics.suppress import Cell

BAR = "#1f6f8b"
MUTED = "#c9d3da"
TEXT = "#1b1b1b"
# Sequential colours (light to dark) for the map's five classes; grey for no figure.
CLASSES = ("#e0f0f4", "#a9d4e0", "#6bb2c9", "#2f89a8", "#125f7a")
NO_DATA = "#eeeeee"


def _svg(width: int, height: int, title: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def bars(title: str, rows: list[tuple[str, Cell]], *, width: int = 340) -> str:
    """Horizontal bars, one per row: the label above its bar (fits a phone's width)."""
    top = max([c.value or 0 for _, c in rows] + [1])
    line = 34
    parts = []
    for index, (label, cell) in enumerate(rows):
        y = index * line
        length = (width - 60) * (cell.value or 0) / top
        parts.append(
            f'<text x="0" y="{y + 11}" font-size="11" fill="{TEXT}">{escape(label[:48])}</text>'
        )
        if cell.value is None:
            parts.append(f'<rect x="0" y="{y + 15}" width="12" height="12" fill="{MUTED}"></rect>')
        else:
            parts.append(
                f'<rect x="0" y="{y + 15}" width="{length:.1f}" height="12" fill="{BAR}"></rect>'
            )
        x = (length if cell.value is not None else 12) + 4
        parts.append(
            f'<text x="{x:.1f}" y="{y + 25}" font-size="11" fill="{TEXT}">'
            f"{escape(cell.text)}</text>"
        )
    return _svg(width, max(len(rows), 1) * line, title, "".join(parts))


def columns(title: str, rows: list[tuple[str, Cell]], *, width: int = 340) -> str:
    """Vertical bars over time (months), labels below every other bar."""
    height, base = 160, 130
    top = max([c.value or 0 for _, c in rows] + [1])
    step = width / max(len(rows), 1)
    parts = [f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="{MUTED}"></line>']
    for index, (label, cell) in enumerate(rows):
        x = index * step
        if cell.value is None:
            h, colour = 4.0, MUTED
        else:
            h, colour = (base - 14) * cell.value / top, BAR
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{base - h:.1f}" width="{step - 4:.1f}" '
            f'height="{h:.1f}" fill="{colour}"><title>{escape(label)}: '
            f"{escape(cell.text)}</title></rect>"
        )
        if index % 2 == 0 or len(rows) <= 6:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{base + 14}" font-size="10" '
                f'text-anchor="middle" fill="{TEXT}">{escape(label)}</text>'
            )
    return _svg(width, height, title, "".join(parts))


# Provinces on a grid, roughly where they lie: (column, row, short label).
TILES: dict[str, tuple[int, int, str]] = {
    "11": (0, 0, "ACE"),
    "12": (1, 1, "SMU"),
    "21": (3, 1, "KRI"),
    "61": (5, 1, "KBR"),
    "65": (6, 1, "KUT"),
    "75": (8, 1, "GOR"),
    "71": (9, 1, "SLU"),
    "82": (10, 1, "MLU"),
    "13": (1, 2, "SMB"),
    "14": (2, 2, "RIA"),
    "19": (3, 2, "BBL"),
    "62": (5, 2, "KTG"),
    "64": (6, 2, "KTM"),
    "76": (7, 2, "SLB"),
    "72": (8, 2, "SLT"),
    "96": (10, 2, "PBD"),
    "92": (11, 2, "PBR"),
    "15": (2, 3, "JMB"),
    "16": (3, 3, "SMS"),
    "63": (6, 3, "KSL"),
    "73": (7, 3, "SLS"),
    "74": (8, 3, "SLG"),
    "81": (9, 3, "MAL"),
    "94": (11, 3, "PTG"),
    "91": (12, 3, "PAP"),
    "17": (2, 4, "BKL"),
    "18": (3, 4, "LPG"),
    "95": (11, 4, "PPG"),
    "93": (12, 4, "PSL"),
    "36": (3, 5, "BTN"),
    "31": (4, 5, "JKT"),
    "32": (5, 5, "JBR"),
    "33": (6, 5, "JTG"),
    "35": (7, 5, "JTM"),
    "51": (8, 5, "BAL"),
    "52": (9, 5, "NTB"),
    "53": (10, 5, "NTT"),
    "34": (6, 6, "DIY"),
}


def classes(values: list[float]) -> list[float]:
    """The upper bounds of five equal-count classes of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return []
    return [ordered[min(len(ordered) - 1, (len(ordered) * k) // 5)] for k in range(1, 6)]


def tile_map(
    title: str, cells: dict[str, Cell], names: dict[str, str], links: dict[str, str]
) -> str:
    """Indonesia's provinces as a grid of tiles coloured by ``cells`` (five classes), each a
    link to its dashboard. Provinces without a figure are grey."""
    size, gap = 26, 2
    bounds = classes([c.value for c in cells.values() if c.value is not None])
    parts = []
    for code, (col, row, short) in TILES.items():
        cell = cells.get(code)
        colour = NO_DATA
        if cell is not None and cell.value is not None:
            klass = next(
                (i for i, bound in enumerate(bounds) if cell.value <= bound), len(CLASSES) - 1
            )
            colour = CLASSES[klass]
        x, y = col * (size + gap), row * (size + gap)
        label = f"{names.get(code, code)}: {cell.text if cell else '—'}"
        ink = "#ffffff" if colour in CLASSES[3:] else TEXT
        tile = (
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{colour}">'
            f"<title>{escape(label)}</title></rect>"
            f'<text x="{x + size / 2}" y="{y + 16}" font-size="8" text-anchor="middle" '
            f'fill="{ink}">{short}</text>'
        )
        href = links.get(code)
        parts.append(f'<a href="{escape(href)}">{tile}</a>' if href else tile)
    width, height = 13 * (size + gap), 7 * (size + gap)
    return _svg(width, height, title, "".join(parts))
