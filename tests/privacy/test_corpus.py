"""The guard against its corpora: recall per kind and the false-refusal rate.

corpus_tuned.tsv is what the rules were developed against; corpus_frozen.tsv was written and
committed before the tuning and is never tuned on (see tools/privacy_corpus). Both are
minutes-style paragraphs of 40–120 words with the datum in the middle, plus every structural
sentence on its own. Targets from the issue (on the tuned part): every personnummer and
samordningsnummer, at least 95 % of every other kind, at most 2 % of structural text refused.
The frozen part is reported and held to floors. corpus.tsv is the older one-sentence corpus,
kept as a regression set.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from dialog.privacy import find_patient_data
from tests.privacy.corpus import KINDS, load, score

SENTENCES = Path(__file__).with_name("corpus.tsv")


def _empty_registers(text):
    # The guard must work the same with an empty database: no register names to lean on.
    return find_patient_data(text, org_names=[])


def _report(result, title):
    print("\n" + result.table(title))
    for row, hits in result.misses:
        print(f"MISS {row.id} {row.kind}: {row.text[row.datum[0] : row.datum[1]]!r} -> {hits}")
    for row, hits in result.false_refusals:
        print(f"FALSE REFUSAL {row.id}: {hits}")


def test_corpora_are_minutes_paragraphs():
    for name in ("tuned", "frozen"):
        rows = load(name)
        kinds = Counter(r.kind for r in rows)
        for kind in KINDS:
            assert kinds[kind] >= 8, (name, kind)
        assert kinds["strukturell"] >= 40
        for row in rows:
            if row.kind == "strukturell-mening":
                continue
            words = len(row.text.split())
            assert 40 <= words <= 160, (row.id, words)
            if row.datum:
                # The datum sits in the middle: text before and after it.
                assert row.text[: row.datum[0]].strip(), row.id
                assert row.text[row.datum[1] :].strip(" .,"), row.id


def test_guard_meets_the_targets_on_the_tuned_corpus():
    result = score(load("tuned"), _empty_registers)
    _report(result, "tuned corpus (empty registers)")
    assert result.recall("personnummer") == 1.0
    assert result.recall("samordningsnummer") == 1.0
    for kind in KINDS:
        assert result.recall(kind) >= 0.95, kind
    assert result.refusal_rate("strukturell") <= 0.02
    assert result.refusal_rate("strukturell-mening") <= 0.02


def test_guard_on_the_frozen_corpus():
    """Reported, never tuned on; floors well below the targets catch a real regression."""
    result = score(load("frozen"), _empty_registers)
    _report(result, "frozen corpus (empty registers, held out)")
    assert result.recall("personnummer") == 1.0
    assert result.recall("samordningsnummer") == 1.0
    for kind in KINDS:
        assert result.recall(kind) >= 0.8, kind
    assert result.refusal_rate("strukturell") <= 0.06
    assert result.refusal_rate("strukturell-mening") <= 0.03


def test_register_names_do_not_change_the_verdict_on_structural_text(app, world):
    """With the test world's registers loaded the structural paragraphs still pass."""
    with app.app_context():
        result = score(load("tuned"), find_patient_data)
    assert result.refusal_rate("strukturell") <= 0.02
    assert result.recall("namn") >= 0.95


def _sentences():
    rows = []
    for line in SENTENCES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, sentence = line.split("\t", 1)
        rows.append((kind, sentence))
    return rows


@pytest.mark.parametrize("registers", ["empty", "world"])
def test_one_sentence_corpus(app, world, registers):
    rows = _sentences()
    total, refused = Counter(), Counter()
    failures = []
    with app.app_context():
        for kind, sentence in rows:
            hits = (
                find_patient_data(sentence, org_names=[])
                if registers == "empty"
                else find_patient_data(sentence)
            )
            total[kind] += 1
            refused[kind] += bool(hits)
            if bool(hits) == (kind == "strukturell"):
                failures.append((kind, sentence, [(h.kind, h.text) for h in hits]))
    for failure in failures:
        print("FAIL", failure)
    assert refused["personnummer"] == total["personnummer"]
    assert refused["samordningsnummer"] == total["samordningsnummer"]
    for kind in total:
        if kind != "strukturell":
            assert refused[kind] / total[kind] >= 0.95, kind
    assert refused["strukturell"] / total["strukturell"] <= 0.02
