"""The guard against the labelled corpus: recall per kind and the false-positive rate.

Targets from the issue: every personnummer and samordningsnummer found, at least 95 % of the
sentences naming a person found, at most 3 % of the structural sentences refused.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from dialog.privacy import find_patient_data

CORPUS = Path(__file__).with_name("corpus.tsv")
STRUCTURAL = "strukturell"


def load_corpus() -> list[tuple[str, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, sentence = line.split("\t", 1)
        rows.append((kind, sentence))
    return rows


def test_corpus_is_large_and_labelled():
    rows = load_corpus()
    kinds = Counter(k for k, _ in rows)
    assert len(rows) >= 300
    for kind in (
        "personnummer",
        "samordningsnummer",
        "namn",
        "rumsnummer",
        "alder",
        "fodelsedatum",
        "telefon",
        "epost",
        STRUCTURAL,
    ):
        assert kinds[kind] > 0, kind


def test_guard_meets_targets_on_corpus(app, world):
    rows = load_corpus()
    total, refused, right_kind = Counter(), Counter(), Counter()
    failures = []
    with app.app_context():  # the register's names (Testboendet Ett …) come from the database
        for kind, sentence in rows:
            hits = find_patient_data(sentence)
            total[kind] += 1
            if hits:
                refused[kind] += 1
            if any(h.kind == kind for h in hits):
                right_kind[kind] += 1
            if bool(hits) == (kind == STRUCTURAL):
                failures.append((kind, sentence, [(h.kind, h.text) for h in hits]))
    print("\nkind                 sentences  refused  recall  same-kind")
    for kind in sorted(total):
        rate = refused[kind] / total[kind]
        print(
            f"{kind:<20} {total[kind]:>9} {refused[kind]:>8} {rate:>7.1%} "
            f"{right_kind[kind] / total[kind]:>9.1%}"
        )
    fp_rate = refused[STRUCTURAL] / total[STRUCTURAL]
    patient_total = sum(v for k, v in total.items() if k != STRUCTURAL)
    patient_found = sum(v for k, v in refused.items() if k != STRUCTURAL)
    print(
        f"overall recall on patient data: {patient_found}/{patient_total} "
        f"= {patient_found / patient_total:.1%}"
    )
    print(
        f"false-positive rate on structural sentences: {refused[STRUCTURAL]}/"
        f"{total[STRUCTURAL]} = {fp_rate:.1%}"
    )
    for kind, sentence, hits in failures:
        print(f"FAIL {kind}: {sentence!r} -> {hits}")

    assert refused["personnummer"] == total["personnummer"]
    assert refused["samordningsnummer"] == total["samordningsnummer"]
    assert refused["namn"] / total["namn"] >= 0.95
    assert fp_rate <= 0.03
