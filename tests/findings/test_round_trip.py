"""The round trip: the documentation template is downloaded, filled in every way people fill it
in, uploaded, previewed and saved; what was typed must be what is stored, field by field.

Each variant writes its row of the table "variant × fields kept" to
test-artifacts/round-trip/<variant>.json.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from dialog.documents import minutes_layout as L
from dialog.extensions import db
from dialog.models import (
    Action,
    ActionReview,
    Attendance,
    ContactRole,
    Dialogue,
    Finding,
    FindingKind,
    Party,
    Side,
)
from tests.conftest import login, require_tool

from . import round_trip as rt
from .conftest import template_for
from .helpers import text_of

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "round-trip"
KIND_OF = {L.DEFICIENCIES: "brist", L.RISKS: "risk", L.SUCCESS_FACTORS: "framgangsfaktor"}


def upload_and_save(client, dialogue_id, data: bytes, name: str) -> str:
    """Preview then confirm through the pages; returns the preview's text."""
    response = client.post(
        f"/dialoger/{dialogue_id}/importera",
        data={"document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    page = text_of(response)
    assert response.status_code == 200, page
    assert "Inga problem hittades" in page, page
    html = response.get_data(as_text=True)
    token = html.split('name="rows" value="')[1].split('"')[0]
    version = html.split('name="version" type="hidden" value="')[1].split('"')[0]
    saved = client.post(
        f"/dialoger/{dialogue_id}/importera/spara", data={"rows": token, "version": version}
    )
    assert saved.status_code == 302
    return page


def expected(extra_risk: bool = False) -> dict[str, object]:
    words = {w: code for w, code in L.ATTENDANCE_VALUES.items()}
    out: dict[str, object] = {}
    for role, (word, comment) in rt.ATTENDANCE.items():
        out[f"närvaro {role}"] = Attendance(words[word]).label
        out[f"närvarokommentar {role}"] = comment
    name, role, side, word, comment = rt.STAND_IN
    out["ersättare"] = (name, role, side, Attendance(words[word]).label, comment)
    out["uppföljning status"] = rt.REVIEW[0]
    out["uppföljning kommentar"] = rt.REVIEW[1]
    for key, (area, text, concerns, escalate, spread) in rt.FINDINGS.items():
        rows = [(area, text, concerns, escalate == "Ja", spread == "Ja")]
        if key == L.RISKS and extra_risk:
            a, t, c, e, s = rt.SECOND_RISK
            rows.append((a, t, c, e == "Ja", s == "Ja"))
        out[L.TABLE_TITLES[key]] = sorted(rows)
    out["åtgärd"] = rt.ACTION
    for label, value in rt.NOTES.items():
        out[label] = value
    return out


def stored(app, dialogue_id) -> dict[str, object]:
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        out: dict[str, object] = {}
        invited = [p for p in dialogue.current_participants if p.email]
        for p in invited:
            out[f"närvaro {p.role.label}"] = p.attendance.label if p.attendance else ""
            out[f"närvarokommentar {p.role.label}"] = p.attendance_comment
        extra = [p for p in dialogue.current_participants if not p.email]
        out["ersättare"] = (
            (
                extra[0].name,
                extra[0].role.label,
                extra[0].side.label,
                extra[0].attendance.label if extra[0].attendance else "",
                extra[0].attendance_comment,
            )
            if len(extra) == 1
            else [p.name for p in extra]
        )
        review = db.session.scalar(
            sa.select(ActionReview).where(ActionReview.dialogue_id == dialogue_id)
        )
        out["uppföljning status"] = review.status.label if review else ""
        out["uppföljning kommentar"] = review.comment if review else ""
        findings = db.session.scalars(
            sa.select(Finding).where(Finding.dialogue_id == dialogue_id)
        ).all()
        for key, kind in KIND_OF.items():
            out[L.TABLE_TITLES[key]] = sorted(
                (f.area.name, f.description, f.concerns.label, f.escalate, f.spread_as_lesson)
                for f in findings
                if f.kind is FindingKind(kind)
            )
        actions = db.session.scalars(
            sa.select(Action).where(Action.dialogue_id == dialogue_id)
        ).all()
        out["åtgärd"] = (
            (
                actions[0].area.name if actions[0].area else "",
                actions[0].description,
                actions[0].responsible_party.label,
                actions[0].responsible_role.label if actions[0].responsible_role else "",
                actions[0].due_date.isoformat() if actions[0].due_date else "",
            )
            if len(actions) == 1
            else [a.description for a in actions]
        )
        for label, attr in L.NOTE_FIELDS.items():
            out[label] = getattr(dialogue, attr)
        return out


def compare(variant: str, app, dialogue_id, *, extra_risk=False) -> None:
    want, got = expected(extra_risk), stored(app, dialogue_id)
    kept = {field: got.get(field) == value for field, value in want.items()}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{variant}.json").write_text(
        json.dumps({"variant": variant, "kept": kept}, ensure_ascii=False, indent=1), "utf-8"
    )
    lost = {f: (want[f], got.get(f)) for f, ok in kept.items() if not ok}
    assert not lost, lost
    assert len(kept) == 25


def _needs_libreoffice():
    require_tool(rt.soffice() is not None, "LibreOffice")


def _needs_uno():
    require_tool(rt.uno_available(), "LibreOffice with python3-uno")


def test_filled_with_python_docx(app, client, held_dialogue):
    data = rt.fill_python_docx(template_for(app, held_dialogue))
    login(client, "chef_a1")
    upload_and_save(client, held_dialogue, data, "ifylld.docx")
    compare("python-docx", app, held_dialogue)


def test_typed_with_track_changes_as_word_writes_them(app, client, held_dialogue):
    data = rt.fill_tracked_changes(template_for(app, held_dialogue))
    login(client, "chef_a1")
    page = upload_and_save(client, held_dialogue, data, "spårade-ändringar.docx")
    assert "Gammal formulering" not in page and "En rad som ströks helt" not in page
    compare("spårade ändringar (Word)", app, held_dialogue)


@pytest.mark.libreoffice
def test_resaved_by_libreoffice(app, client, held_dialogue, tmp_path):
    _needs_libreoffice()
    data = rt.libreoffice_resave(rt.fill_python_docx(template_for(app, held_dialogue)), tmp_path)
    login(client, "chef_a1")
    upload_and_save(client, held_dialogue, data, "ifylld.docx")
    compare("LibreOffice docx→docx", app, held_dialogue)


@pytest.mark.libreoffice
def test_resaved_by_libreoffice_through_odt(app, client, held_dialogue, tmp_path):
    _needs_libreoffice()
    data = rt.libreoffice_via_odt(rt.fill_python_docx(template_for(app, held_dialogue)), tmp_path)
    login(client, "chef_a1")
    upload_and_save(client, held_dialogue, data, "ifylld.docx")
    compare("LibreOffice docx→odt→docx", app, held_dialogue)


@pytest.mark.libreoffice
def test_odt_upload_is_converted(app, client, held_dialogue, tmp_path):
    _needs_libreoffice()
    data = rt.libreoffice_odt(rt.fill_python_docx(template_for(app, held_dialogue)), tmp_path)
    assert data[:2] == b"PK" and b"opendocument.text" in data[:200]
    login(client, "chef_a1")
    upload_and_save(client, held_dialogue, data, "ifylld.odt")
    compare(".odt uppladdad", app, held_dialogue)


@pytest.mark.libreoffice
@pytest.mark.parametrize("record_changes", [False, True], ids=["plain", "track-changes"])
def test_typed_in_libreoffice_through_uno(app, client, held_dialogue, tmp_path, record_changes):
    _needs_uno()
    data = rt.uno_typing(template_for(app, held_dialogue), tmp_path, record_changes=record_changes)
    if record_changes:  # LibreOffice really wrote tracked insertions
        assert b"<w:ins " in __import__("zipfile").ZipFile(io.BytesIO(data)).read(
            "word/document.xml"
        )
    login(client, "chef_a1")
    upload_and_save(client, held_dialogue, data, "libreoffice.docx")
    compare(
        "LibreOffice UNO-inmatning" + (" med spårade ändringar" if record_changes else ""),
        app,
        held_dialogue,
    )


def test_rows_added_deleted_reordered_merged_and_tables_moved(app, client, held_dialogue):
    data = rt.reshaped(template_for(app, held_dialogue))
    login(client, "chef_a1")
    upload_and_save(client, held_dialogue, data, "omflyttad.docx")
    compare("rader och tabeller flyttade, celler sammanfogade", app, held_dialogue, extra_risk=True)


@pytest.mark.libreoffice
def test_reshaped_and_resaved_by_libreoffice(app, client, held_dialogue, tmp_path):
    _needs_libreoffice()
    data = rt.libreoffice_resave(rt.reshaped(template_for(app, held_dialogue)), tmp_path)
    login(client, "chef_a1")
    upload_and_save(client, held_dialogue, data, "omflyttad.docx")
    compare("omflyttad + LibreOffice docx→docx", app, held_dialogue, extra_risk=True)


def test_prefilled_template_round_trips_without_changes(app, client, held_dialogue):
    """Saved once, downloaded again: the template shows what is recorded, and uploading it
    untouched changes nothing (what the user sees is what is kept)."""
    login(client, "chef_a1")
    upload_and_save(
        client, held_dialogue, rt.fill_python_docx(template_for(app, held_dialogue)), "a.docx"
    )
    before = stored(app, held_dialogue)
    again = template_for(app, held_dialogue)
    response = client.post(
        f"/dialoger/{held_dialogue}/importera",
        data={"document": (io.BytesIO(again), "igen.docx")},
        content_type="multipart/form-data",
    )
    page = text_of(response)
    assert "Det finns inget att spara" in page, page
    assert "Inte inläst" not in page
    assert stored(app, held_dialogue) == before
    # The prefilled template carries every recorded value.
    import docx as python_docx

    document = python_docx.Document(io.BytesIO(again))
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for value in ("Sjuk, ingen ersättare kunde komma.", "Ersättare Exempelsson", "Klar"):
        assert value in text
    for _, description, *_ in rt.FINDINGS.values():
        assert description in text
    assert rt.ACTION[1] in text and rt.NOTES["Lärdomar förs vidare när"] in text


def test_standin_role_and_side_words(app):
    # The words the template offers map to the models' values (a guard against drift).
    assert {ContactRole(v).label for v in L.ROLE_VALUES.values()} == set(L.ROLE_VALUES)
    assert {Side(v).label for v in L.SIDE_VALUES.values()} == set(L.SIDE_VALUES)
    assert {Party(v).label for v in L.PARTY_VALUES.values()} == set(L.PARTY_VALUES)
