"""Charts drawn with matplotlib (Agg): SVG for the pages, PNG for the Word report.

Every chart's numbers are also shown as a table beside it; the charts add nothing the tables
lack. Colours are distinguishable for common colour-vision deficiencies (Okabe–Ito palette).
"""

from __future__ import annotations

import io
from functools import lru_cache

import matplotlib
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator

from .figures import KINDS, PARTIES

CHARTS = {
    "tackning": "Täckning: boenden och dialoger",
    "representation": "Andel genomförda dialoger med full representation",
    "fynd": "Fynd per område och slag",
    "handlingsplan": "Fynd per område i den nationella handlingsplanen",
    "atgarder": "Åtgärder per ansvarig part",
    "trender": "Trender över åren",
}
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"]

# Set once when the module loads; drawing only reads them.
matplotlib.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "svg.fonttype": "path",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


def render(name: str, board, fmt: str = "svg") -> bytes:
    # A Figure of its own per chart, without pyplot: no global state, so no lock between
    # requests drawing at the same time. Each chart sets its own margins from the sizes of its
    # texts (_text_size), so saving draws once: no tight_layout() and no bbox_inches="tight",
    # which each lay the whole figure out once more (together most of the time of a chart).
    fig = _DRAW[name](board)
    buf = io.BytesIO()
    fig.savefig(
        buf,
        format=fmt,
        dpi=130 if fmt == "png" else None,
        metadata={"Date": None} if fmt == "svg" else None,
    )
    return buf.getvalue()


def _axes(figsize):
    fig = Figure(figsize=figsize)
    return fig, fig.subplots()


PT = 1 / 72  # inches per point
MARGIN = 0.08  # inches of white around a chart
TICK_SPACE = (3.5 + 3.5) * PT  # tick length and the pad between tick and label (rc defaults)


@lru_cache(maxsize=1024)
def _text_size(text: str, size: float, bold: bool = False) -> tuple[float, float]:
    """(width, height) in inches of one line of text in the charts' font."""
    width, height, _ = _measurer().get_text_width_height_descent(
        text, FontProperties(size=size, weight="bold" if bold else "normal"), ismath=False
    )
    return width * PT, height * PT


@lru_cache(maxsize=1)
def _measurer() -> RendererAgg:
    # At 72 dpi a pixel is a point. Only measures text; never drawn on.
    return RendererAgg(1, 1, 72)


def _place(fig, ax, *, left: float, right: float, top: float, bottom: float) -> None:
    """Margins in inches around the axes."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
    )


def _hbar(labels, series, title, *, percent=False, height_per=0.42):
    """Horizontal bars; series = [(label, values)], stacked when more than one."""
    n = max(1, len(labels))
    label_width = max((_text_size(label, 10)[0] for label in labels), default=0)
    title_width, title_height = _text_size(title, 11, bold=True)
    margin_left = MARGIN + label_width + TICK_SPACE
    margin_right = 0.25
    # Wide enough for the title above the axes; the bars keep at least 3.5 inches.
    width = max(7.2, margin_left + max(title_width, 3.5) + margin_right)
    height = 1.1 + height_per * n
    fig, ax = _axes((width, height))
    left = [0] * len(labels)
    positions = list(range(len(labels)))[::-1]
    for i, (name, values) in enumerate(series):
        ax.barh(positions, values, left=left, label=name, color=PALETTE[i % len(PALETTE)])
        left = [a + b for a, b in zip(left, values)]
    for pos, total in zip(positions, left):
        text = f"{total:.0f} %" if percent else f"{total:g}"
        ax.text(total, pos, " " + text, va="center", fontsize=9)
    ax.set_yticks(positions, labels)
    ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
    if not percent:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if percent:
        ax.set_xlim(0, 110)
    elif left and max(left) > 0:
        ax.set_xlim(0, max(left) * 1.15)
    if len(series) > 1:
        ax.legend(
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0 + 0.35 / n),
            ncol=len(series),
            frameon=False,
            fontsize=9,
        )
    if not labels:
        ax.text(0.5, 0.5, "Inga uppgifter för perioden", ha="center", transform=ax.transAxes)
    bottom = MARGIN + _text_size("0", 10)[1] + TICK_SPACE
    top = MARGIN + title_height + 6 * PT  # the title's pad (rc default 6 points)
    if len(series) > 1:
        # The legend stands 0.35/n of the axes' height above them, above the title.
        legend = _text_size("Öp", 9)[1] + 2 * 0.4 * 9 * PT  # one line and its border pad
        k = 0.35 / n
        axes_height = (height - bottom - MARGIN - legend) / (1 + k)
        top = max(top, height - bottom - axes_height)
    _place(fig, ax, left=margin_left, right=margin_right, top=top, bottom=bottom)
    return fig


def _coverage(board):
    c = board.coverage
    labels = [
        "Aktiva boenden",
        "Bokade dialoger",
        "Genomförda",
        "Dokumenterade",
        "Boenden utan dialog",
    ]
    values = [c["active_homes"], c["booked"], c["held"], c["documented"], c["homes_without"]]
    return _hbar(labels, [("Antal", values)], CHARTS["tackning"])


def _representation(board):
    r = board.representation
    labels, values = [], []
    if r["held"]:
        labels.append("Båda parter")
        values.append(100 * r["full"] / r["held"])
        for s in r["sides"]:
            labels.append(s["side"].label)
            values.append(100 * s["complete"] / r["held"])
    return _hbar(labels, [("Andel", values)], CHARTS["representation"], percent=True)


def _findings(board):
    areas = board.findings["by_area"][:13]
    labels = [e["area"] for e in areas]
    series = [(k.label, [e["counts"][k] for e in areas]) for k in KINDS]
    return _hbar(labels, series, CHARTS["fynd"], height_per=0.36)


def _plan(board):
    rows = board.findings["by_plan_area"]
    labels = [e["plan_area"] for e in rows]
    return _hbar(labels, [("Antal", [e["count"] for e in rows])], CHARTS["handlingsplan"])


def _actions(board):
    rows = {e["party"]: e for e in board.actions["by_party"]}
    labels = [p.label for p in PARTIES]
    series = [
        ("Öppna i tid", [rows[p]["open"] - rows[p]["overdue"] for p in PARTIES]),
        ("Försenade", [rows[p]["overdue"] for p in PARTIES]),
        ("Klara", [rows[p]["done"] for p in PARTIES]),
        ("Avbrutna", [rows[p]["cancelled"] for p in PARTIES]),
    ]
    return _hbar(labels, series, CHARTS["atgarder"])


def _trends(board):
    rows = board.trends
    fig, ax = _axes((9, 3.4))
    years = [t["year"] for t in rows]
    lines = [("Genomförda dialoger", [t["held"] for t in rows])]
    lines += [(_plural(k.label), [t["findings"][k] for t in rows]) for k in KINDS]
    markers = ["o", "s", "^", "D"]
    for i, (label, values) in enumerate(lines):
        ax.plot(years, values, marker=markers[i], label=label, color=PALETTE[i])
    ax.set_title(CHARTS["trender"], loc="left", fontsize=11, fontweight="bold")
    if years:
        ax.set_xticks(years, [str(y) for y in years])
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    else:
        ax.text(0.5, 0.5, "Inga uppgifter", ha="center", transform=ax.transAxes)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    # The widest y tick label is at most as wide as the largest value, grouped like matplotlib.
    top_value = max((max(v, default=0) for _, v in lines), default=0)
    tick_width = _text_size(f"{max(top_value, 1) * 1.1:.0f}", 10)[0]
    legend_width = (
        max(_text_size(label, 8)[0] for label, _ in lines) + (0.4 + 2.0 + 0.8 + 0.4) * 8 * PT
        if years
        else 0
    )
    _place(
        fig,
        ax,
        left=MARGIN + tick_width + TICK_SPACE,
        right=MARGIN + legend_width,
        top=MARGIN + _text_size(CHARTS["trender"], 11, bold=True)[1] + 6 * PT,
        bottom=MARGIN + _text_size("0", 10)[1] + TICK_SPACE,
    )
    return fig


def _plural(label: str) -> str:
    return {"Brist": "Brister", "Risk": "Risker", "Framgångsfaktor": "Framgångsfaktorer"}.get(
        label, label
    )


_DRAW = {
    "tackning": _coverage,
    "representation": _representation,
    "fynd": _findings,
    "handlingsplan": _plan,
    "atgarder": _actions,
    "trender": _trends,
}
