"""The documentation template filled in the ways people fill it in, for the round-trip suite.

`TYPED` is what a person types at the meeting; each way of filling (python-docx, tracked
changes as Word writes them, LibreOffice headless re-saves, LibreOffice typing through UNO,
rows and tables moved around) puts exactly that into a freshly downloaded template.
"""

from __future__ import annotations

import copy
import io
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from dialog.documents import minutes_layout as L

UNO_SCRIPT = Path(__file__).resolve().parents[1] / "support" / "uno_type.py"
SYSTEM_PYTHON = "/usr/bin/python3"

# What is typed at the meeting, per field. Attendance by participant role (the test world has
# one of each per side).
ATTENDANCE = {
    "Enhetschef": ("Ja", ""),
    "Sjuksköterska": ("Nej", "Sjuk, ingen ersättare kunde komma."),
    "Arbetsterapeut": ("Ja", "Kom efter halva mötet."),
    "SÄBO-läkare": ("Ja", ""),
    "Verksamhetschef": ("Ersättare", "Biträdande verksamhetschef deltog."),
}
STAND_IN = ("Ersättare Exempelsson", "Fysioterapeut", "SÄBO", "Ja", "Kallades samma dag.")
REVIEW = ("Klar", "Checklistan används sedan i höstas.")
FINDINGS = {
    L.DEFICIENCIES: (
        "Läkemedel",
        "Läkemedelslistan uppdateras inte efter ronden.",
        "Gemensamt",
        "Ja",
        "Nej",
    ),
    L.RISKS: ("Fall", "Larmen hörs inte i korridoren nattetid.", "SÄBO", "Nej", "Nej"),
    L.SUCCESS_FACTORS: ("Fall", "Teamträffar varje månad minskar fallen.", "SÄBO", "Nej", "Ja"),
}
ACTION = (
    "Läkemedel",
    "Sjuksköterskan uppdaterar listan efter ronden.",
    "SÄBO",
    "Sjuksköterska",
    "2026-09-30",
)
NOTES = {
    "Mötesledare": "Enhetschefen",
    "Antecknat av": "Sjuksköterskan",
    "Justerat av": "Verksamhetschefen på vårdcentralen",
    "Underlag som togs upp": "Avvikelser och fall per kvartal, läkemedelsgenomgångar.",
    "Lärdomar förs vidare till": "Alla boenden i kommunen och vårdcentralens läkare",
    "Lärdomar förs vidare av": "MAS och verksamhetschefen",
    "Lärdomar förs vidare när": "Vid samverkansmötet i maj",
    "Nästa dialog": "Mars nästa år, enhetschefen bokar",
}


@dataclass
class Typed:
    key: str  # table key
    row: int  # row index in the table (header = 0)
    column: int
    text: str


def _tables(document) -> dict[str, object]:
    return {L.table_key([c.text for c in t.rows[0].cells]): t for t in document.tables}


def _blank_rows(table) -> list[int]:
    return [i for i, r in enumerate(table.rows) if i and not any(c.text.strip() for c in r.cells)]


def cells_to_type(template: bytes) -> list[Typed]:
    """Where each typed text goes in this freshly downloaded template."""
    document = docx.Document(io.BytesIO(template))
    tables = _tables(document)
    out: list[Typed] = []
    col = {key: {c: i for i, c in enumerate(L.COLUMNS[key])} for key in L.COLUMNS}
    attendance = tables[L.ATTENDANCE]
    for i, row in enumerate(attendance.rows):
        role = row.cells[col[L.ATTENDANCE]["role"]].text
        if i and row.cells[0].text.strip() and role in ATTENDANCE:
            word, comment = ATTENDANCE[role]
            out.append(Typed(L.ATTENDANCE, i, col[L.ATTENDANCE]["attendance"], word))
            if comment:
                out.append(Typed(L.ATTENDANCE, i, col[L.ATTENDANCE]["comment"], comment))
    blank = _blank_rows(attendance)[0]
    for name, text in zip(("name", "role", "side", "attendance", "comment"), STAND_IN):
        out.append(Typed(L.ATTENDANCE, blank, col[L.ATTENDANCE][name], text))
    previous = tables[L.PREVIOUS_ACTIONS]
    out.append(Typed(L.PREVIOUS_ACTIONS, 1, col[L.PREVIOUS_ACTIONS]["status"], REVIEW[0]))
    out.append(Typed(L.PREVIOUS_ACTIONS, 1, col[L.PREVIOUS_ACTIONS]["comment"], REVIEW[1]))
    assert previous.rows[1].cells[0].text.strip().isdigit()
    names = ("area", "description", "concerns", "escalate", "spread_as_lesson")
    for key, values in FINDINGS.items():
        row = _blank_rows(tables[key])[0]
        for name, text in zip(names, values):
            out.append(Typed(key, row, col[key][name], text))
    row = _blank_rows(tables[L.ACTIONS])[0]
    names = ("area", "description", "responsible_party", "responsible_role", "due_date")
    for name, text in zip(names, ACTION):
        out.append(Typed(L.ACTIONS, row, col[L.ACTIONS][name], text))
    notes = tables[L.NOTES]
    for i, row in enumerate(notes.rows):
        label = row.cells[0].text.strip()
        if label in NOTES:
            out.append(Typed(L.NOTES, i, 1, NOTES[label]))
    return out


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- ways of filling in ---------------------------------------------------------------------


def fill_python_docx(template: bytes) -> bytes:
    document = docx.Document(io.BytesIO(template))
    tables = _tables(document)
    for t in cells_to_type(template):
        tables[t.key].rows[t.row].cells[t.column].text = t.text
    return _save(document)


def _tracked(tag: str, run_text: str, *, deleted: bool = False, ident: int = 1):
    """<w:ins>/<w:del>/<w:moveTo>/<w:moveFrom> holding one run, as Word writes it."""
    change = OxmlElement(tag)
    change.set(qn("w:id"), str(ident))
    change.set(qn("w:author"), "Antecknare")
    change.set(qn("w:date"), "2026-03-10T14:05:00Z")
    run = OxmlElement("w:r")
    text = OxmlElement("w:delText" if deleted else "w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = run_text
    run.append(text)
    change.append(run)
    return change


def fill_tracked_changes(template: bytes) -> bytes:
    """Every text typed with track changes on (w:ins), plus what Word writes around it: a
    deletion of an earlier wording, a move of a sentence from one cell to another, a row added
    with track changes and a row deleted with track changes."""
    document = docx.Document(io.BytesIO(template))
    tables = _tables(document)
    ident = 100
    for t in cells_to_type(template):
        cell = tables[t.key].rows[t.row].cells[t.column]
        paragraph = cell.paragraphs[-1]._p
        ident += 1
        # Typing over a prefilled value: Word marks the old runs deleted (w:t -> w:delText).
        for run in list(paragraph.findall(qn("w:r"))):
            for old in run.findall(qn("w:t")):
                old.tag = qn("w:delText")
            deletion = OxmlElement("w:del")
            deletion.set(qn("w:id"), str(ident))
            deletion.set(qn("w:author"), "Antecknare")
            deletion.set(qn("w:date"), "2026-03-10T14:05:00Z")
            run.addprevious(deletion)
            deletion.append(run)
            ident += 1
        if t.key == L.DEFICIENCIES and L.COLUMNS[t.key][t.column] == "description":
            paragraph.append(
                _tracked("w:del", "Gammal formulering som ströks. ", deleted=True, ident=ident)
            )
            ident += 1
        if t.key == L.RISKS and L.COLUMNS[t.key][t.column] == "description":
            # Moved here from the next (blank) row's description: moveFrom there, moveTo here.
            source = tables[t.key].rows[t.row + 1].cells[t.column].paragraphs[-1]._p
            source.append(_tracked("w:moveFrom", t.text, ident=ident))
            ident += 1
            paragraph.append(_tracked("w:moveTo", t.text, ident=ident))
            continue
        paragraph.append(_tracked("w:ins", t.text, ident=ident))
    # A row deleted with track changes: its text is not read.
    risks = tables[L.RISKS]
    gone = copy.deepcopy(risks.rows[-1]._tr)
    trpr = gone.get_or_add_trPr()
    mark = OxmlElement("w:del")
    mark.set(qn("w:id"), "900")
    mark.set(qn("w:author"), "Antecknare")
    mark.set(qn("w:date"), "2026-03-10T14:06:00Z")
    trpr.append(mark)
    first = gone.tc_lst[2].p_lst[0]
    first.append(_tracked("w:del", "En rad som ströks helt.", deleted=True, ident=901))
    risks._tbl.append(gone)
    return _save(document)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(data: bytes, suffix: str, target: str, work: Path) -> bytes:
    from tests.support.office import convert

    work.mkdir(parents=True, exist_ok=True)
    source = work / f"ifylld{suffix}"
    source.write_bytes(data)
    return convert(source, work / "out", target).read_bytes()


def libreoffice_resave(data: bytes, work: Path) -> bytes:
    return _convert(data, ".docx", "docx:MS Word 2007 XML", work)


def libreoffice_odt(data: bytes, work: Path) -> bytes:
    return _convert(data, ".docx", "odt", work)


def libreoffice_via_odt(data: bytes, work: Path) -> bytes:
    odt = libreoffice_odt(data, work / "odt")
    return _convert(odt, ".odt", "docx:MS Word 2007 XML", work / "docx")


def uno_available() -> bool:
    if soffice() is None or not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    return probe.returncode == 0


def uno_typing(template: bytes, work: Path, *, record_changes: bool) -> bytes:
    """Type every text in LibreOffice itself (UNO), optionally with its change tracking on."""
    work.mkdir(parents=True, exist_ok=True)
    source, target, job = work / "mall.docx", work / "ifylld.docx", work / "job.json"
    source.write_bytes(template)
    cells = [
        {"header": list(L.TABLES[t.key]), "row": t.row, "column": t.column, "text": t.text}
        for t in cells_to_type(template)
    ]
    job.write_text(json.dumps({"record_changes": record_changes, "cells": cells}), "utf-8")
    subprocess.run(
        [SYSTEM_PYTHON, str(UNO_SCRIPT), str(source), str(target), str(job)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return target.read_bytes()


def reshaped(template: bytes) -> bytes:
    """Filled with python-docx after moving things around: attendance rows in reverse order,
    blank rows deleted, the risk typed in a row added at the end, the actions table moved to
    the top and the notes table into the middle, and the findings' area cells of two risks
    merged vertically (both risks "Fall"; the second one is SECOND_RISK)."""
    document = docx.Document(io.BytesIO(template))
    tables = _tables(document)
    typed = cells_to_type(template)
    # Type everything first, at the planned places.
    for t in typed:
        if t.key != L.RISKS:
            tables[t.key].rows[t.row].cells[t.column].text = t.text
    # Attendance rows reversed.
    attendance = tables[L.ATTENDANCE]._tbl
    body_rows = attendance.tr_lst[1:]
    for tr in body_rows:
        attendance.remove(tr)
    for tr in reversed(body_rows):
        attendance.append(tr)
    # Blank rows deleted everywhere but the risks table.
    for key in (L.DEFICIENCIES, L.SUCCESS_FACTORS, L.ACTIONS, L.ATTENDANCE):
        table = tables[key]
        for tr in list(table._tbl.tr_lst[1:]):
            if not "".join(tr.itertext()).strip():
                table._tbl.remove(tr)
    # Risks: all blank rows deleted, two rows added, the area cells merged vertically.
    risks = tables[L.RISKS]
    template_row = copy.deepcopy(risks._tbl.tr_lst[1])
    for tr in list(risks._tbl.tr_lst[1:]):
        risks._tbl.remove(tr)
    risks._tbl.append(copy.deepcopy(template_row))
    risks._tbl.append(copy.deepcopy(template_row))
    columns = {c: i for i, c in enumerate(L.COLUMNS[L.RISKS])}
    first, second = risks.rows[1], risks.rows[2]
    for name, text in zip(
        ("description", "concerns", "escalate", "spread_as_lesson"), FINDINGS[L.RISKS][1:]
    ):
        first.cells[columns[name]].text = text
    for name, text in zip(
        ("description", "concerns", "escalate", "spread_as_lesson"), SECOND_RISK[1:]
    ):
        second.cells[columns[name]].text = text
    merged = first.cells[columns["area"]].merge(second.cells[columns["area"]])
    merged.text = FINDINGS[L.RISKS][0]
    # Tables moved: actions right after the facts table, notes before the findings heading.
    # (An empty paragraph between two tables, as Word keeps them apart.)
    facts = tables[L.FACTS]._tbl
    spacer = OxmlElement("w:p")
    facts.addnext(spacer)
    spacer.addnext(tables[L.ACTIONS]._tbl)
    spacer = OxmlElement("w:p")
    tables[L.DEFICIENCIES]._tbl.addprevious(spacer)
    spacer.addprevious(tables[L.NOTES]._tbl)
    return _save(document)


SECOND_RISK = ("Fall", "Golvlampor saknas i korridoren.", "SÄBO", "Nej", "Nej")
