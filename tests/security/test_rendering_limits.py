"""Bounded template rendering: each attack from the review, performed; the sandbox's budget;
the render process's operating-system limits; and an active template that fails at render time
falling back to the default, with the user and the administrators told."""

from __future__ import annotations

import io
import pickle
import time
import zipfile
from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document
from docx2python import docx2python
from jinja2.exceptions import SecurityError

from dialog.documents.kinds import KINDS
from dialog.documents.validation import MESSAGES
from dialog.extensions import db
from dialog.models import AuditEntry
from dialog.models.documents import DocumentTemplate
from dialog.sandbox import RenderFailed, render_docx
from dialog.sandbox.environment import Limits, RenderLimitExceeded, TemplateEnvironment, limits
from dialog.sandbox.filling import RenderRequest
from dialog.sandbox.process import _Pool
from tests.conftest import login
from tests.documents import helpers

from . import runaways

NESTED = (
    "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}x"
    "{% endfor %}{% endfor %}{% endfor %}"
)


def _upload(client, lines, kind="agenda"):
    return client.post(
        "/mallar",
        data={
            "kind": kind,
            "target": "alla",
            "comment": "",
            "file": (io.BytesIO(helpers.simple_template(lines)), "mall.docx"),
        },
        content_type="multipart/form-data",
    )


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _text(data: bytes) -> str:
    with docx2python(io.BytesIO(data)) as result:
        return result.text


# --- the attacks, over HTTP ------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag, reason",
    [
        (NESTED, "loopar upprepas mer än 100\u00a0000 gånger"),
        ("{{ 'a'|center(10**8) }}", "för stort som bredd eller antal"),
        ("{{ lipsum(100000) }}", "lipsum är begränsad"),
        ("{{ 10**100 }}", "för stora tal"),
        ("{{ '%100000000d' % 1 }}", "formatbredd"),
        ("{{ '{:>100000000}'.format(1) }}", "formatbredd"),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "längre än 1\u00a0000\u00a0000 tecken",
        ),
        # Passes on the demo dialogue (id 0), runs away on real data: the large sample catches it.
        ("{% if dialogue.id > 0 %}" + NESTED + "{% endif %}", "stor provdialog"),
    ],
)
def test_runaway_uploads_are_refused_quickly_and_store_nothing(client, app, world, tag, reason):
    login(client, "admin")
    started = time.monotonic()
    response = _upload(client, ["Rubrik", tag])
    elapsed = time.monotonic() - started
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert MESSAGES["limits"].split("{")[0] in page
    assert reason in page
    assert _count(app, DocumentTemplate) == 0
    # Refused by the budget, long before the CPU limit (5 s) or a web worker's timeout.
    assert elapsed < 30


def test_ten_to_the_tenth_is_a_number_but_not_a_width(client, app, world):
    login(client, "admin")
    assert _upload(client, ["{{ 10**10 }}"]).status_code == 302
    response = _upload(client, ["{{ 'a'|center(10**10) }}"])
    assert response.status_code == 400 and "för stort som bredd" in response.get_data(True)


# --- the budget, counted ---------------------------------------------------------------------


def _render(source: str, value: Limits | None = None, **context) -> str:
    env = TemplateEnvironment()
    with limits(value or Limits()):
        return env.from_string(source).render(**context)


def test_loop_iterations_are_counted_across_nesting():
    small = Limits(iterations=1000)
    # 10 + 10*10 + 10*10*8 = 910 iterations: allowed; with 9 inner steps, 1010: refused.
    inner8 = "{% for i in range(10) %}{% for j in range(10) %}{% for k in range(8) %}"
    assert len(_render(inner8 + "x{% endfor %}{% endfor %}{% endfor %}", small)) == 800
    inner9 = inner8.replace("range(8)", "range(9)")
    with pytest.raises(RenderLimitExceeded, match="1\u00a0000 gånger"):
        _render(inner9 + "x{% endfor %}{% endfor %}{% endfor %}", small)
    # Loops over the context's lists count too, and a recursive loop's children.
    with pytest.raises(RenderLimitExceeded):
        _render("{% for a in xs %}{% for b in xs %}{% endfor %}{% endfor %}", small, xs=[1] * 40)
    tree = [[list(range(30))] * 30] * 2
    with pytest.raises(RenderLimitExceeded):
        _render(
            "{% for x in t recursive %}{% if x is iterable %}{{ loop(x) }}{% endif %}{% endfor %}",
            small,
            t=tree,
        )


def test_the_cpu_deadline_stops_work_without_loops():
    # 2^40 macro calls and no loop at all: the deadline, checked on every call, stops it.
    source = (
        "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(40) }}"
    )
    started = time.process_time()
    with pytest.raises(RenderLimitExceeded, match="0.5 sekunder"):
        _render(source, Limits(cpu_seconds=0.5))
    assert time.process_time() - started < 5


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'x' * 10001 }}",
        "{{ [0] * 10001 }}",
        "{{ 'a'.ljust(100000) }}",
        "{{ 'a'.zfill(100000) }}",
        "{{ [1]|batch(100000, 0)|list }}",
        "{{ [1]|slice(100000)|list }}",
        "{{ 5|round(-100000) }}",
        "{{ '%*d' % (100, 1) }}",
        "{{ '{:>{w}}'.format(1, w=5) }}",
        "{{ '%100000s'|format('a') }}",
        "{{ ('a\n' * 5000)|indent(10000) }}",
        "{{ ('a' * 10000)|replace('a', 'aaaaaaaaaaaaaaaaaaaa')|replace('a', 'aaaaaaaaaa') }}",
        "{{ range(1000)|map('string')|map('center', 10000)|join }}",
        "{{ 2 ** 65 }}",
        "{{ (2 ** 40) * (2 ** 40) }}",
        "{{ range(1001)|list }}",
        "{{ lipsum(5, max=1000) }}",
    ],
)
def test_each_bounded_operation(source):
    with pytest.raises(RenderLimitExceeded):
        _render(source)


def test_ordinary_templates_are_not_affected():
    source = (
        "{% for p in people %}{{ p.name }}{{ ', ' if not loop.last }}{% endfor %}|"
        "{{ 'Dialog ' ~ year ~ ' & mer' }}|{{ '%04d'|format(7) }}|{{ '{:>6}'.format('x') }}|"
        "{{ (2 ** 31 - 1) * 2 }}|{{ 'a' * 3 }}|{{ lipsum(1, html=False)|wordcount > 0 }}|"
        "{{ dialogue_id }}|{{ 'ab'|center(6) }}"
    )
    out = _render(source, people=[{"name": "A"}, {"name": "<B>"}], year=2027, dialogue_id=2**31 - 1)
    assert out == (
        "A, &lt;B&gt;|Dialog 2027 &amp; mer|0007|     x|4294967294|aaa|True|2147483647|  ab  "
    )


def test_the_sandbox_still_refuses_what_it_always_did():
    with pytest.raises(SecurityError):
        _render("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(SecurityError):
        _render("{{ xs.append(1) }}", xs=[])


# --- the render process ----------------------------------------------------------------------


def _request(finish=None, cpu=1.0) -> bytes:
    template = helpers.simple_template(["{{ home.name }}"])
    request = RenderRequest(
        template=template,
        context={"home": {"name": "Demoboendet"}, "dialogue": {"date": "2027-03-16"}},
        limits=replace(Limits(), cpu_seconds=cpu),
        finish=finish,
    )
    return pickle.dumps(request)


@pytest.mark.parametrize(
    "runaway, wall, error, words",
    [
        # The wall clock is generous where the operating system's limit should act first (a
        # shared, loaded machine stretches wall time, not CPU time).
        (runaways.spin, 120, "limit", "processortid"),
        (runaways.hog, 120, "limit", "minne"),
        (runaways.crash, 120, "crash", "avbröts"),
        (runaways.hang, 4, "limit", "tog mer än 4 sekunder"),
    ],
)
def test_the_render_process_is_stopped_and_the_next_render_works(runaway, wall, error, words):
    """What the budget cannot see (one long operation) is stopped by the operating system or
    the wall clock; the web worker only waits, and the next render gets a fresh process."""
    pool = _Pool()
    try:
        started = time.monotonic()
        with pytest.raises(RenderFailed) as caught:
            pool.render(_request(runaway), cpu_seconds=1, memory_mb=400, wall_seconds=wall)
        assert (caught.value.error, words in caught.value.message) == (error, True)
        assert time.monotonic() - started < wall + 5
        data = pool.render(_request(runaways.fine), cpu_seconds=1, memory_mb=400)
        assert Document(io.BytesIO(data)).core_properties.title == "Klar"
    finally:
        pool.shutdown()


def test_renders_share_a_warm_process(app):
    """Normal renders reuse the render process (its compiled-template cache stays warm)."""
    pool = _Pool()
    try:
        for _ in range(3):
            pool.render(_request(runaways.fine), cpu_seconds=5, memory_mb=1024)
        assert len(pool._idle) == 1
        first = pool._idle[0].proc.pid
        pool.render(_request(runaways.fine), cpu_seconds=5, memory_mb=1024)
        assert pool._idle[0].proc.pid == first
    finally:
        pool.shutdown()


def test_render_docx_uses_the_configured_cpu_limit(app):
    app.config["RENDER_CPU_SECONDS"] = 0.3
    source = (
        "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(40) }}"
    )
    with app.app_context():
        with pytest.raises(RenderFailed, match="0.3 sekunder"):
            render_docx(helpers.simple_template([source]), {"home": {"name": "x"}})


def test_checking_an_upload_costs_at_most_one_renders_cpu_limit(client, app, world):
    """The three sample dialogues share one render's CPU limit (here 0.9 s: 0.3 s each)."""
    app.config["RENDER_CPU_SECONDS"] = 0.9
    login(client, "admin")
    source = (
        "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(40) }}"
    )
    response = _upload(client, [source])
    assert response.status_code == 400
    assert "tog mer än 0.3 sekunder" in response.get_data(as_text=True)


# --- an active template that fails on real data ----------------------------------------------

TRAP = "{% if home.name == 'Testboendet Ett' %}" + NESTED + "{% endif %}Egen agenda {{ home.name }}"


def _activate_trap(client, app) -> int:
    login(client, "admin")
    assert _upload(client, [TRAP]).status_code == 302  # fine on every sample dialogue
    with app.app_context():
        template_id = db.session.scalar(sa.select(DocumentTemplate.id))
    assert client.post(f"/mallar/{template_id}/aktivera").status_code == 302
    return template_id


def test_a_template_failing_on_real_data_falls_back_to_the_default(client, app, world, book):
    trapped = book("a1", date(2027, 3, 10))
    fine = book("a2", date(2027, 3, 11))
    template_id = _activate_trap(client, app)

    response = client.get(f"/dialoger/{trapped}/dokument/agenda")
    assert response.status_code == 200
    assert response.headers["X-Dialog-Template"] == "standard"
    assert "(standardmall).docx" in response.headers["Content-Disposition"]
    text = _text(response.data)
    assert "Egen agenda" not in text and "Dagordning" in text
    # The user is told (on the next page), the administrator sees why on the templates page.
    page = client.get(f"/dialoger/{trapped}").get_data(as_text=True)
    assert "standardmallen användes för filen du laddade ned" in page
    templates_page = client.get("/mallar").get_data(as_text=True)
    assert "Kunde inte fyllas i vid nedladdning (1 gång" in templates_page
    assert "loopar upprepas mer än 100\u00a0000 gånger" in templates_page
    # The other home gets the uploaded template: only the failing download fell back.
    other = client.get(f"/dialoger/{fine}/dokument/agenda")
    assert other.headers["X-Dialog-Template"] == "global"
    assert "Egen agenda Testboendet Två" in _text(other.data)
    # Audited once per reason, not once per download.
    client.get(f"/dialoger/{trapped}/dokument/agenda")
    failed = AuditEntry.action == "dokumentmall kunde inte användas"
    assert _count(app, AuditEntry, failed) == 1
    with app.app_context():
        row = db.session.get(DocumentTemplate, template_id)
        assert row.failures == 2 and row.active
        entry = db.session.scalar(sa.select(AuditEntry).where(failed))
        assert entry.actor == "admin" and entry.care_home_id == world.homes["a1"]


def test_a_zip_falls_back_once_and_says_which_files(client, app, world, book):
    book("a1", date(2027, 3, 10))
    book("a2", date(2027, 3, 11))
    book("b1", date(2027, 3, 12))
    _activate_trap(client, app)
    response = client.get("/dokument/zip?dokument=agenda&ar=2027")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    note = next(n for n in names if n.startswith("LÄS MIG"))
    text = archive.read(note).decode("utf-8")
    assert "Testboendet Ett" in text and "loopar upprepas" in text
    # Ett failed, so Två and Tre of the same region got the default too (one failure per ZIP).
    for home in ("Testboendet Två", "Testboendet Tre"):
        entry = next(n for n in names if home in n)
        assert "Egen agenda" not in _text(archive.read(entry))
    with app.app_context():
        assert db.session.scalar(sa.select(DocumentTemplate.failures)) == 1


def test_a_failing_preview_says_why(client, app, world):
    login(client, "admin")
    with app.app_context():
        from dialog.documents import services

        row = services.upload_template(
            KINDS["agenda"], None, helpers.simple_template(["ok"]), "a.docx", "", None
        )
        db.session.commit()
        # Stored before the checks existed: the preview must explain, not crash.
        row.content = helpers.simple_template([NESTED])
        db.session.commit()
        template_id = row.id
    response = client.get(f"/mallar/{template_id}/forhandsgranska", follow_redirects=True)
    assert response.status_code == 200
    assert "kunde inte fyllas i med provdialogen" in response.get_data(as_text=True)
