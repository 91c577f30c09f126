"""Reading and scoring the privacy corpora (tests/privacy/corpus_*.tsv).

A patient paragraph counts as found when a hit overlaps its marked datum ⟦…⟧; a structural
paragraph or sentence counts as refused when the guard finds anything in it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
STRUCTURAL = ("strukturell", "strukturell-mening")
KINDS = (
    "personnummer",
    "samordningsnummer",
    "namn",
    "anhorig",
    "initialer",
    "alder",
    "adress",
    "rumsnummer",
    "telefon",
    "epost",
    "fodelsedatum",
    "enskilt_fall",
    "diagnos",
)


@dataclass
class Row:
    id: str
    kind: str
    text: str
    datum: tuple[int, int] | None


def load(name: str) -> list[Row]:
    rows = []
    for line in (HERE / f"corpus_{name}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        row_id, kind, paragraph = line.split("\t")
        paragraph = paragraph.replace("\\n", "\n")
        datum = None
        if "⟦" in paragraph:
            start = paragraph.index("⟦")
            end = paragraph.index("⟧") - 1
            paragraph = paragraph.replace("⟦", "", 1).replace("⟧", "", 1)
            datum = (start, end)
        rows.append(Row(row_id, kind, paragraph, datum))
    return rows


@dataclass
class Score:
    total: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    same_kind: Counter = field(default_factory=Counter)
    misses: list = field(default_factory=list)
    false_refusals: list = field(default_factory=list)

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.total[kind] if self.total[kind] else 1.0

    def refusal_rate(self, kind: str = "strukturell") -> float:
        return self.found[kind] / self.total[kind] if self.total[kind] else 0.0

    def table(self, title: str) -> str:
        lines = [f"{title}", f"{'kind':<20}{'n':>5}{'found':>7}{'recall':>8}{'same kind':>11}"]
        for kind in (*KINDS, *STRUCTURAL):
            if not self.total[kind]:
                continue
            label = "refused" if kind in STRUCTURAL else "recall"
            rate = self.found[kind] / self.total[kind]
            lines.append(
                f"{kind:<20}{self.total[kind]:>5}{self.found[kind]:>7}{rate:>8.1%}"
                f"{self.same_kind[kind] / self.total[kind]:>11.1%}"
                + (f"  ({label})" if kind in STRUCTURAL else "")
            )
        return "\n".join(lines)


def score(rows: list[Row], find) -> Score:
    result = Score()
    for row in rows:
        hits = find(row.text)
        result.total[row.kind] += 1
        if row.kind in STRUCTURAL:
            if hits:
                result.found[row.kind] += 1
                result.same_kind[row.kind] += 1
                result.false_refusals.append((row, [(h.kind, h.text) for h in hits]))
            continue
        start, end = row.datum
        over = [h for h in hits if h.start < end and start < h.end]
        if over:
            result.found[row.kind] += 1
            if any(h.kind == row.kind for h in over) or (
                row.kind == "samordningsnummer" and any(h.kind == "personnummer" for h in over)
            ):
                result.same_kind[row.kind] += 1
        else:
            result.misses.append((row, [(h.kind, h.text) for h in hits]))
    return result
