"""Local agreements: validity, the homes lacking one, the register by hand and by CSV, and where
the gaps show (year view, booking page, dialogue page, dashboard)."""

from __future__ import annotations

import base64
import re
from datetime import date

import sqlalchemy as sa

from dialog.agreements.services import homes_without_agreement, reference_day
from dialog.extensions import db
from dialog.models import AuditEntry, CareHome, LocalAgreement
from dialog.scope import Scope
from tests.conftest import login

from .helpers import audit_count, csv_file, relogin


def _gap_names(app, day, **scope):
    with app.app_context():
        s = Scope(**scope) if scope else Scope(admin=True)
        gaps = homes_without_agreement([CareHome.active.is_(True), s.home_clause()], day)
        return gaps.total, sorted(h["name"] for h in gaps.homes)


def test_only_a_valid_agreement_with_the_clause_covers_a_home(app, world, agreement):
    day = date(2026, 6, 1)
    assert _gap_names(app, day)[0] == 4
    agreement("A", "alfa", date(2026, 1, 1), date(2026, 12, 31))
    total, names = _gap_names(app, day)
    assert total == 2 and names == ["Testboendet Fyra", "Testboendet Tre"]
    # Expired, not yet started, without the clause, with another centre: none of them count.
    agreement("B", "beta", date(2020, 1, 1), date(2025, 12, 31))
    agreement("B", "beta", date(2026, 6, 2))
    agreement("B", "beta", date(2020, 1, 1), duty=False)
    agreement("B", "alfa", date(2020, 1, 1))
    assert _gap_names(app, day)[1] == ["Testboendet Fyra", "Testboendet Tre"]
    assert _gap_names(app, date(2026, 6, 2))[1] == ["Testboendet Fyra"]
    # The agreement of A ends with 2026: in 2027 both A homes lack one again.
    assert _gap_names(app, date(2027, 1, 1))[0] == 3
    # An inactivated agreement no longer counts.
    with app.app_context():
        from dialog.agreements.services import set_active

        a = db.session.scalar(
            sa.select(LocalAgreement).where(LocalAgreement.valid_to == date(2026, 12, 31))
        )
        set_active(a, False)
        db.session.commit()
    assert _gap_names(app, day)[0] == 4
    # Scoped: MAS of A sees only A's homes.
    total, names = _gap_names(app, day, municipality_ids=frozenset({world.municipalities["A"]}))
    assert total == 2 and names == ["Testboendet Ett", "Testboendet Två"]


def test_a_long_list_of_homes_gets_the_same_gaps_as_a_short_one(app, world, agreement):
    """The year view asks for every home in the selection; past LONG_ID_LIST ids the gaps are
    read for all homes and kept in Python. Both paths name the same homes."""
    from dialog.agreements.services import LONG_ID_LIST, uncovered_home_ids

    day = date(2026, 6, 1)
    agreement("A", "alfa", date(2026, 1, 1), date(2026, 12, 31))
    with app.app_context():
        ids = list(db.session.scalars(sa.select(CareHome.id)))
        short = uncovered_home_ids(ids, day)
        # The same homes among ids of homes that do not exist, past the threshold.
        padded = ids + list(range(10_000, 10_000 + LONG_ID_LIST))
        assert len(padded) > LONG_ID_LIST
        assert uncovered_home_ids(padded, day) == short
        assert short and len(short) < len(ids)  # some covered, some not: a real comparison
        # A long list that leaves some uncovered homes out does not get them back.
        left_out = sorted(short)[0]
        fewer = [i for i in padded if i != left_out]
        assert uncovered_home_ids(fewer, day) == short - {left_out}


def test_reference_day_is_today_moved_into_the_year():
    today = date(2026, 11, 22)
    assert reference_day(2026, today) == today
    assert reference_day(2027, today) == date(2027, 1, 1)
    assert reference_day(2025, today) == date(2025, 12, 31)


def _form(world, **changes):
    values = {
        "municipality": str(world.municipalities["A"]),
        "health_centre": str(world.centres["alfa"]),
        "valid_from": "2026-01-01",
        "valid_to": "",
        "participation_duty": "y",
        "document_name": "Lokal överenskommelse läkarmedverkan 2026",
        "document_ref": "Dnr KS 2025/123",
    }
    values.update(changes)
    return values


def test_mas_records_and_changes_an_agreement_by_hand(app, client, world):
    login(client, "mas_a")
    before = audit_count(app)
    response = client.post("/overenskommelser/ny", data=_form(world))
    assert response.status_code == 302
    with app.app_context():
        a = db.session.scalar(sa.select(LocalAgreement))
        assert (a.valid_from, a.valid_to, a.participation_duty) == (date(2026, 1, 1), None, True)
        assert a.document_ref == "Dnr KS 2025/123"
        agreement_id = a.id
    assert audit_count(app) == before + 1
    page = client.get("/overenskommelser/").text
    assert "Lokal överenskommelse läkarmedverkan 2026" in page and "tills vidare" in page
    response = client.post(
        f"/overenskommelser/{agreement_id}/redigera",
        data=_form(world, valid_to="2026-12-31", participation_duty=""),
    )
    assert response.status_code == 302
    with app.app_context():
        a = db.session.get(LocalAgreement, agreement_id)
        assert a.valid_to == date(2026, 12, 31) and a.participation_duty is False
        entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "ändrade lokal överenskommelse"
        assert entry.changes["participation_duty"] == [True, False]
        assert entry.municipality_id == world.municipalities["A"]


def test_bad_input_is_refused_with_swedish_messages_and_nothing_is_stored(app, client, world):
    login(client, "mas_a")
    before = audit_count(app)
    cases = [
        (_form(world, valid_from="1/1 2026"), "Ange datumet som ÅÅÅÅ-MM-DD"),
        (
            _form(world, valid_from="2026-05-01", valid_to="2026-04-30"),
            "Slutdatumet kan inte vara före",
        ),
        (_form(world, document_name=""), "Ange dokumentets namn"),
        (_form(world, health_centre=str(world.centres["gamma"])), "Välj vårdcentral"),
        (_form(world, municipality=str(world.municipalities["B"])), "Välj kommun"),
        (_form(world, document_ref="javascript://x"), "En länk ska börja med https://"),
    ]
    for data, message in cases:
        response = client.post("/overenskommelser/ny", data=data)
        assert response.status_code == 400, data
        assert message in response.text, message
    # Patient data in a link is refused too.
    response = client.post(
        "/overenskommelser/ny",
        data=_form(world, document_ref="https://avtal.example.org/?pnr=194503121234"),
    )
    assert response.status_code == 400 and "patientuppgifter" in response.text
    # Patient data in the document name: refused with the guard's message, never stored.
    response = client.post(
        "/overenskommelser/ny", data=_form(world, document_name="Avtal för 19450312-1234")
    )
    assert response.status_code == 400 and "patientuppgifter" in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LocalAgreement.id))) == 0
        texts = " ".join(
            str(e.changes) + e.summary for e in db.session.scalars(sa.select(AuditEntry))
        )
        assert "19450312" not in texts
    assert audit_count(app) == before


def test_scope_of_the_register(app, client, world, agreement):
    a_id = agreement("A", "alfa")
    b_id = agreement("B", "beta")
    login(client, "mas_a")
    page = client.get("/overenskommelser/").text
    assert "Testkommun A" in page and "Testkommun B" not in page
    assert client.get(f"/overenskommelser/{b_id}/redigera").status_code == 404
    assert client.post(f"/overenskommelser/{b_id}/aktiv").status_code == 404
    relogin(client, "vc_alfa")
    page = client.get("/overenskommelser/").text
    assert "Test-VC Alfa" in page and "Test-VC Beta" not in page
    assert client.get(f"/overenskommelser/{a_id}/redigera").status_code == 403
    assert client.post(f"/overenskommelser/{a_id}/aktiv").status_code == 403
    with app.app_context():
        assert db.session.get(LocalAgreement, a_id).active is True


GOOD_CSV = (
    "Kommun;Vårdcentral;Giltig från;Giltig till;Deltagande i dialogen;Dokument;Länk eller referens\n"
    "Testkommun A;Test-VC Alfa;2026-01-01;;ja;Överenskommelse A 2026;https://samarbete.example.org/a.pdf\n"
    "Testkommun B;Test-VC Beta;2025-01-01;2027-12-31;Nej;Överenskommelse B;Dnr 2024/77\n"
)


def test_csv_import_preview_then_confirm_all_rows(app, client, world):
    login(client, "regional_norr")
    response = client.post(
        "/overenskommelser/import",
        data={"file": csv_file(GOOD_CSV)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Alla 2 rader är korrekta" in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LocalAgreement.id))) == 0
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', response.text).group(1)
    response = client.post("/overenskommelser/import/bekrafta", data={"payload": payload})
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(sa.select(LocalAgreement).order_by(LocalAgreement.id)).all()
        assert [(r.municipality.name, r.participation_duty, r.valid_to) for r in rows] == [
            ("Testkommun A", True, None),
            ("Testkommun B", False, date(2027, 12, 31)),
        ]
        assert (
            db.session.scalar(
                sa.select(sa.func.count(AuditEntry.id)).where(
                    AuditEntry.action == "skapade lokal överenskommelse"
                )
            )
            == 2
        )


def test_a_broken_csv_is_refused_whole(app, client, world):
    broken = GOOD_CSV + (
        "Okänd kommun;Test-VC Alfa;2026-01-01;;ja;X;\n"
        "Testkommun A;Test-VC Gamma;2026-01-01;;ja;Y;\n"
        "Testkommun A;Test-VC Alfa;2026-13-01;;kanske;Z;\n"
        "Testkommun C;Test-VC Gamma;2026-01-01;;ja;W;\n"
        "Testkommun A;Test-VC Alfa;2026-01-01;;ja;Dubblett;\n"
    )
    login(client, "regional_norr")
    response = client.post(
        "/overenskommelser/import",
        data={"file": csv_file(broken)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    text = response.text
    assert "ingenting sparas" in text
    assert "Rad 4: okänd kommun" in text
    assert "Rad 5: okänd vårdcentral ”Test-VC Gamma” i kommunens region" in text
    assert "Rad 6: ogiltigt datum i giltig från" in text and "ska vara ja eller nej" in text
    assert "Rad 7: du har inte behörighet" in text  # region Syd is not regional_norr's
    assert "Rad 8: dubblett av rad 2" in text
    assert "/overenskommelser/import/bekrafta" not in text  # no confirm button
    # Confirming the bad file anyway (a forged form) changes nothing either.
    payload = base64.b64encode(broken.encode()).decode()
    response = client.post("/overenskommelser/import/bekrafta", data={"payload": payload})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LocalAgreement.id))) == 0


def test_a_csv_with_patient_data_is_refused_without_echoing_it(app, client, world):
    bad = GOOD_CSV + "Testkommun A;Test-VC Alfa;2024-01-01;;ja;Avtal gällande 19450312-1234;\n"
    login(client, "mas_a")
    response = client.post(
        "/overenskommelser/import",
        data={"file": csv_file(bad)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 400
    assert "rad 4, dokument (personnummer)" in response.text
    assert "Ingenting har sparats" in response.text
    assert "19450312" not in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LocalAgreement.id))) == 0


def test_cli_import_is_all_or_nothing(app, runner, world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD_CSV + "Testkommun A;Test-VC Alfa;inte ett datum;;ja;X;\n", encoding="utf-8")
    result = runner.invoke(args=["import-csv", "overenskommelser", str(bad)])
    assert result.exit_code != 0
    assert "rad 4: ogiltigt datum" in result.output and "ingenting har sparats" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LocalAgreement.id))) == 0
    good = tmp_path / "good.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    result = runner.invoke(args=["import-csv", "overenskommelser", str(good)])
    assert result.exit_code == 0, result.output
    assert "2 rader importerades" in result.output
    result = runner.invoke(args=["import-csv", "okant", str(good)])
    assert result.exit_code != 0 and "overenskommelser" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LocalAgreement.id))) == 2


def test_year_view_booking_page_and_dialogue_page_show_the_gap(app, client, world, agreement, book):
    agreement("A", "alfa", date(2020, 1, 1))
    login(client, "regional_norr")
    page = client.get("/arsoversikt?ar=2027").text
    assert "1 boende saknar giltig lokal överenskommelse" in page
    rows = {
        m.group(1): m.group(0)
        for m in re.finditer(r'<tr data-home-id="(\d+)">.*?</tr>', page, re.S)
    }
    assert "Överenskommelse saknas" in rows[str(world.homes["b1"])]
    assert "Överenskommelse saknas" not in rows[str(world.homes["a1"])]
    assert (
        "ingen giltig lokal överenskommelse"
        in client.get(f"/boenden/{world.homes['b1']}/boka?ar=2027").text
    )
    assert (
        "ingen giltig lokal överenskommelse"
        not in client.get(f"/boenden/{world.homes['a1']}/boka?ar=2027").text
    )
    dialogue_id = book("b1", date(2027, 3, 10))
    assert "ingen giltig lokal överenskommelse" in client.get(f"/dialoger/{dialogue_id}").text
    agreement("B", "beta", date(2027, 1, 1))
    assert "ingen giltig lokal överenskommelse" not in client.get(f"/dialoger/{dialogue_id}").text


def test_dashboard_lists_the_homes_without_agreement(app, client, world, agreement):
    agreement("A", "alfa", date(2020, 1, 1))
    login(client, "regional_norr")
    page = client.get("/uppfoljning/?ar=2026").text
    section = page.split('id="overenskommelser"')[1].split("</section>")[0]
    assert "1 aktivt boende i urvalet" in section
    assert "Testboendet Tre" in section and "Testboendet Ett" not in section
    assert "Testboendet Fyra" not in section  # region Syd
