"""Uploaded templates: external XML entities (XXE) and oversized files are refused before
anything is parsed or stored."""

from __future__ import annotations

import io
import zipfile

import pytest

from dialog.documents.kinds import KINDS
from dialog.documents.validation import MAX_UPLOAD_BYTES, TemplateRejected, validate_template
from tests.documents import helpers

XXE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)


def _with_entity(data: bytes) -> bytes:
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    body = document.split(b"?>", 1)[1]
    body = body.replace(b"Egen agenda", b"&xxe; Egen agenda", 1)
    return helpers.rezip(data, replace={"word/document.xml": XXE + body})


def test_an_external_entity_is_refused(app):
    data = _with_entity(helpers.simple_template(["{{ home.name }}"]))
    with app.app_context(), pytest.raises(TemplateRejected) as caught:
        validate_template(data, "mall.docx", KINDS["agenda"])
    assert caught.value.code == "doctype"


def test_an_oversized_upload_is_refused_before_it_is_opened(app):
    data = helpers.simple_template(["x"]) + b"\0" * MAX_UPLOAD_BYTES
    with app.app_context(), pytest.raises(TemplateRejected) as caught:
        validate_template(data, "mall.docx", KINDS["agenda"])
    assert caught.value.code == "too_large"
