"""Replaceable templates: checks on upload, preview, activation, going back, scope and audit."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document
from docx2python import docx2python

from dialog.documents.kinds import KINDS
from dialog.documents.validation import MESSAGES, TemplateRejected, validate_template
from dialog.extensions import db
from dialog.models import AuditEntry
from dialog.models.documents import DocumentTemplate
from tests.conftest import login

from . import helpers

GOOD_LINES = [
    "Plats: {{ dialogue.location }} den {{ dialogue.date }}",
    "{% for p in participants %}{{ p.name }} ({{ p.role }}); {% endfor %}",
]


def _post(client, data: bytes, filename: str, kind="agenda", target="alla", comment=""):
    return client.post(
        "/mallar",
        data={
            "kind": kind,
            "target": target,
            "comment": comment,
            "file": (io.BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _text(data: bytes) -> str:
    with docx2python(io.BytesIO(data)) as result:
        return result.text


BROKEN = {
    "docm": lambda good: (helpers.docm(good), "mall.docm"),
    "macros": lambda good: (helpers.docm(good), "mall.docx"),
    "not_zip": lambda good: ("Det här är bara text.\n".encode() * 50, "mall.docx"),
    "zip_bomb": lambda good: (helpers.zip_bomb(good, 30), "mall.docx"),
    "unknown_variable": lambda good: (
        helpers.simple_template(["{{ patient.name }} {{ secret }}"]),
        "mall.docx",
    ),
    "syntax": lambda good: (
        helpers.simple_template(["{% for p in participants %}{{ p.name }"]),
        "mall.docx",
    ),
    "external": lambda good: (helpers.with_external_link(good), "mall.docx"),
    "unknown_field": lambda good: (helpers.simple_template(["{{ home.phone }}"]), "mall.docx"),
    "unsafe": lambda good: (helpers.simple_template(["{{ home.__init__ }}"]), "mall.docx"),
    "extension": lambda good: (good, "mall.txt"),
}


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_each_broken_upload_is_refused_with_its_own_message(client, app, world, code):
    good = helpers.simple_template(GOOD_LINES)
    data, filename = BROKEN[code](good)
    login(client, "admin")
    response = _post(client, data, filename)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Mallen sparades inte." in page
    with app.app_context():
        with pytest.raises(TemplateRejected) as caught:
            validate_template(data, filename, KINDS["agenda"])
    assert caught.value.code == code
    # The page shows that very message (escaped as HTML), and nothing was stored or logged.
    first_words = MESSAGES[code].split("{")[0][:40]
    assert first_words.replace('"', "&#34;").replace("'", "&#39;") in page
    assert _count(app, DocumentTemplate) == 0
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action.like("%dokumentmall%"))
            )
            == 0
        )


def test_messages_are_distinct():
    assert len(set(MESSAGES.values())) == len(MESSAGES)


def test_shipped_defaults_pass_the_upload_checks(app):
    with app.app_context():
        for kind in KINDS.values():
            validate_template(kind.default_path.read_bytes(), f"{kind.key}.docx", kind)


def test_upload_preview_activate_and_go_back(client, app, world, book):
    dialogue_id = book("a1", date(2027, 3, 10))
    login(client, "admin")
    page = client.get("/mallar").get_data(as_text=True)
    assert "participants_home" in page and "Deltagare från boendet" in page  # documented

    response = _post(
        client,
        helpers.simple_template(GOOD_LINES),
        "Vår agenda.docx",
        comment="Regionens logga & färger",
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(sa.select(DocumentTemplate))
        assert (row.version, row.active, row.region_id) == (1, False, None)
        first_id = row.id
    # Not active yet: the dialogue still gets the shipped default.
    agenda = client.get(f"/dialoger/{dialogue_id}/dokument/agenda").data
    assert "Egen agenda" not in _text(agenda)
    # Preview with the demo dialogue.
    preview = client.get(f"/mallar/{first_id}/forhandsgranska")
    assert preview.status_code == 200
    assert "Egen agenda för Demoboendet Solbacken" in _text(preview.data)
    # Activate: now it is used.
    assert client.post(f"/mallar/{first_id}/aktivera").status_code == 302
    agenda = client.get(f"/dialoger/{dialogue_id}/dokument/agenda").data
    text = _text(agenda)
    assert "Egen agenda för Testboendet Ett" in text and "Test SSK a1 (Sjuksköterska)" in text
    assert Document(io.BytesIO(agenda)).core_properties.language == "sv-SE"
    # A second version replaces the first; the first is kept.
    _post(client, helpers.simple_template(["Version två {{ home.name }}"]), "v2.docx")
    with app.app_context():
        second = db.session.scalar(sa.select(DocumentTemplate).where(DocumentTemplate.version == 2))
        second_id = second.id
    client.post(f"/mallar/{second_id}/aktivera")
    with app.app_context():
        states = dict(
            db.session.execute(sa.select(DocumentTemplate.version, DocumentTemplate.active)).all()
        )
    assert states == {1: False, 2: True}
    assert "Version två Testboendet Ett" in _text(
        client.get(f"/dialoger/{dialogue_id}/dokument/agenda").data
    )
    # Back to the shipped default.
    response = client.post(
        "/mallar/aterga", data={"kind": "agenda", "target": "alla"}, follow_redirects=True
    )
    assert "Standardmallen" in response.get_data(as_text=True)
    text = _text(client.get(f"/dialoger/{dialogue_id}/dokument/agenda").data)
    assert "Version två" not in text and "Dagordning" in text
    assert _count(app, DocumentTemplate) == 2
    with app.app_context():
        actions = list(
            db.session.scalars(
                sa.select(AuditEntry.action)
                .where(AuditEntry.action.like("%mall%"))
                .order_by(AuditEntry.id)
            )
        )
    assert actions == [
        "laddade upp dokumentmall",
        "aktiverade dokumentmall",
        "laddade upp dokumentmall",
        "aktiverade dokumentmall",
        "återgick till standardmall",
    ]


def test_regional_template_applies_to_its_region_only(client, app, world, book):
    norr_dialogue = book("a1", date(2027, 3, 10))
    syd_dialogue = book("c1", date(2027, 3, 11))
    login(client, "regional_norr")
    # A regional user cannot upload for every region or for another region.
    template = helpers.simple_template(["Norrs egen mall {{ home.name }}"])
    assert _post(client, template, "n.docx", target="alla").status_code == 400
    assert _post(client, template, "n.docx", target=str(world.regions["syd"])).status_code == 400
    assert _count(app, DocumentTemplate) == 0
    assert _post(client, template, "n.docx", target=str(world.regions["norr"])).status_code == 302
    with app.app_context():
        row_id = db.session.scalar(sa.select(DocumentTemplate.id))
    client.post(f"/mallar/{row_id}/aktivera")
    with app.app_context():
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "aktiverade dokumentmall")
        )
        assert entry.region_id == world.regions["norr"]
    assert "Norrs egen mall" in _text(client.get(f"/dialoger/{norr_dialogue}/dokument/agenda").data)
    client.post("/logga-ut")
    login(client, "admin")
    assert "Norrs egen mall" not in _text(
        client.get(f"/dialoger/{syd_dialogue}/dokument/agenda").data
    )
    client.post("/logga-ut")
    login(client, "regional_syd")
    assert client.get(f"/mallar/{row_id}/forhandsgranska").status_code == 404
    assert client.post(f"/mallar/{row_id}/aktivera").status_code == 404


def test_template_pages_are_for_administrators_and_regional_users(client, world):
    login(client, "mas_a")
    assert client.get("/mallar").status_code == 403
    assert client.post("/mallar", data={}).status_code == 403


def test_activation_needs_csrf(client, app, world):
    login(client, "admin")
    _post(client, helpers.simple_template(GOOD_LINES), "a.docx")
    with app.app_context():
        row_id = db.session.scalar(sa.select(DocumentTemplate.id))
    assert client.post(f"/mallar/{row_id}/aktivera", csrf=False).status_code == 400
    with app.app_context():
        assert db.session.get(DocumentTemplate, row_id).active is False


def test_documentation_template_must_keep_the_readable_tables(client, app, world):
    login(client, "admin")
    response = _post(
        client,
        helpers.simple_template(["{{ dialogue.id }}"]),
        "dok.docx",
        kind="dokumentationsmall",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Dokumentationsmallen måste behålla tabellerna" in page
    assert "Närvaro" in page and "Överenskomna åtgärder" in page
    assert _count(app, DocumentTemplate) == 0


@pytest.mark.parametrize(
    "tag, code",
    [
        ("{% for i in range(100000) %}x{% endfor %}", "limits"),
        ("{{ 'x' * 100000000 }}", "limits"),
        ("{{ 9 ** 999999 }}", "limits"),
        ("{{ ''.__class__.__mro__ }}", "unsafe"),
        ("{{ areas[0].questions.append('x') }}", "unsafe"),
    ],
)
def test_sandbox_refuses_expensive_or_unsafe_tags(app, tag, code):
    with app.app_context():
        with pytest.raises(TemplateRejected) as caught:
            validate_template(helpers.simple_template([tag]), "mall.docx", KINDS["agenda"])
    assert caught.value.code == code


def test_database_allows_one_active_version_per_target(app, world):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():

        def row(version, active, region_id=None):
            return DocumentTemplate(
                kind="agenda",
                region_id=region_id,
                version=version,
                filename="a.docx",
                size=1,
                sha256="0" * 64,
                content=b"x",
                active=active,
            )

        db.session.add_all([row(1, True), row(2, False), row(1, True, world.regions["norr"])])
        db.session.commit()
        db.session.add(row(3, True))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.session.add(row(2, False))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
