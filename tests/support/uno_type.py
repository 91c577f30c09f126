"""Type into a Word file with LibreOffice itself, through UNO (Debian's python3-uno).

Run with the system Python that has `uno`: /usr/bin/python3 uno_type.py SOURCE TARGET JOB.json

JOB is {"record_changes": bool, "cells": [{"header": [...], "row": n, "column": n,
"text": "..."}]}: each text is typed over what the cell holds (a text cursor selecting the
cell's text and insertString, as a keyboard does) in the table whose first row reads `header`. LibreOffice then saves the
document as Word 2007-365 (.docx), with its own tracked changes when record_changes is on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import uno  # noqa: I001  (Debian's python3-uno)
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def connect(pipe: str, deadline: float):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def header_of(table) -> list[str]:
    columns = table.getColumns().getCount()
    return [norm(table.getCellByPosition(c, 0).getString()) for c in range(columns)]


def main(source: str, target: str, job_path: str) -> int:
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = Path(tempfile.mkdtemp(prefix="lo-uno-"))
    pipe = f"uno_type_{os.getpid()}"
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        context = connect(pipe, time.time() + 60)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        url = uno.systemPathToFileUrl(str(Path(source).resolve()))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        doc.RecordChanges = bool(job.get("record_changes"))
        tables = doc.getTextTables()
        by_header = {}
        for i in range(tables.getCount()):
            table = tables.getByIndex(i)
            by_header.setdefault(tuple(header_of(table)), table)
        for item in job["cells"]:
            table = by_header[tuple(norm(h) for h in item["header"])]
            cell = table.getCellByPosition(item["column"], item["row"])
            # Select what the cell holds and type over it, as a person replacing a value does.
            cursor = cell.createTextCursor()
            cursor.gotoStart(False)
            cursor.gotoEnd(True)
            cell.insertString(cursor, item["text"], True)
        out = uno.systemPathToFileUrl(str(Path(target).resolve()))
        doc.storeToURL(out, (prop("FilterName", "MS Word 2007 XML"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge goes away with the office
            pass
    finally:
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
