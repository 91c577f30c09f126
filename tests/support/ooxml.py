"""Validating generated Word files with an OOXML validator that did not write them
(openxml-audit: the Office Open XML schemas and the semantic rules of the Open XML SDK)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from openxml_audit import OpenXmlValidator

_VALIDATOR = OpenXmlValidator(max_errors=200)


def validation_errors(data: bytes) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="ooxml-") as folder:
        path = Path(folder) / "document.docx"
        path.write_bytes(data)
        result = _VALIDATOR.validate(str(path))
    return [str(error) for error in result.errors]


def assert_valid_docx(data: bytes) -> None:
    errors = validation_errors(data)
    assert not errors, "\n".join(errors[:20])
