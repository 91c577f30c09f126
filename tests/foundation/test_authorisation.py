"""The authorisation matrix: every foundation route × every role, objects reached by guessing ids,
and that refused requests change nothing."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.routing import IntegerConverter

from dialog.extensions import db
from dialog.models import AuditEntry, CareHome, Contact, Dialogue, HealthCentre
from tests.conftest import login

ROLES = ["admin", "regional_norr", "regional_syd", "mas_a", "mas_b", "chef_a1", "vc_alfa"]
OK, FORBIDDEN, HIDDEN, FOUND = 200, 403, 404, 302


# Administrators, regional users and MAS/MAR: the follow-up roles.
FOLLOW_UP = {"admin": OK, "regional_norr": OK, "regional_syd": OK, "mas_a": OK, "mas_b": OK}


def expect(**by_role):
    """Expected status per role; unspecified roles default to HIDDEN."""
    return {role: by_role.get(role, HIDDEN) for role in ROLES}


# (url template, expected status per role). {a1} etc. are filled from the world.
GET_MATRIX = [
    ("/arsoversikt", {r: OK for r in ROLES}),
    ("/register/boenden", {r: OK for r in ROLES}),
    ("/register/vardcentraler", {r: OK for r in ROLES}),
    ("/register/kontakter", {r: OK for r in ROLES}),
    ("/konto", {r: OK for r in ROLES}),
    (
        "/register/boenden/{a1}",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=OK, vc_alfa=OK),
    ),
    ("/register/boenden/{c1}", expect(admin=OK, regional_syd=OK)),
    (
        "/register/boenden/{a1}/redigera",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN),
    ),
    (
        "/register/boenden/ny",
        expect(
            admin=OK,
            regional_norr=OK,
            regional_syd=OK,
            mas_a=OK,
            mas_b=OK,
            chef_a1=FORBIDDEN,
            vc_alfa=FORBIDDEN,
        ),
    ),
    (
        "/boenden/{a1}/boka",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=OK, vc_alfa=FORBIDDEN),
    ),
    ("/boenden/{b1}/boka", expect(admin=OK, regional_norr=OK, mas_b=OK)),
    ("/dialoger/{d_a1}", expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=OK, vc_alfa=OK)),
    ("/dialoger/{d_b1}", expect(admin=OK, regional_norr=OK, mas_b=OK)),
    (
        "/dialoger/{d_a1}/boka-om",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=OK, vc_alfa=FORBIDDEN),
    ),
    (
        "/dialoger/{d_a1}/stall-in",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=OK, vc_alfa=FORBIDDEN),
    ),
    (
        "/dialoger/{d_a1}/deltagare",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=OK, vc_alfa=FORBIDDEN),
    ),
    (
        "/register/vardcentraler/{alfa}/redigera",
        expect(admin=OK, regional_norr=OK, mas_a=FORBIDDEN, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN),
    ),
    (
        "/register/kontakter/{a1_chef}/redigera",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=OK, vc_alfa=FORBIDDEN),
    ),
    ("/register/kontakter/{b1_chef}/redigera", expect(admin=OK, regional_norr=OK, mas_b=OK)),
    (
        "/register/kommuner",
        expect(
            admin=OK,
            regional_norr=OK,
            regional_syd=OK,
            mas_a=OK,
            mas_b=OK,
            chef_a1=FORBIDDEN,
            vc_alfa=FORBIDDEN,
        ),
    ),
    ("/register/kommuner/{A}/redigera", {r: (OK if r == "admin" else FORBIDDEN) for r in ROLES}),
    (
        "/register/regioner",
        expect(
            admin=OK,
            regional_norr=OK,
            regional_syd=OK,
            mas_a=FORBIDDEN,
            mas_b=FORBIDDEN,
            chef_a1=FORBIDDEN,
            vc_alfa=FORBIDDEN,
        ),
    ),
    ("/register/regioner/ny", {r: (OK if r == "admin" else FORBIDDEN) for r in ROLES}),
    (
        "/register/import",
        expect(
            admin=OK,
            regional_norr=OK,
            regional_syd=OK,
            mas_a=OK,
            mas_b=OK,
            chef_a1=FORBIDDEN,
            vc_alfa=FORBIDDEN,
        ),
    ),
    (
        "/granskningslogg",
        expect(
            admin=OK,
            regional_norr=OK,
            regional_syd=OK,
            mas_a=OK,
            mas_b=OK,
            chef_a1=FORBIDDEN,
            vc_alfa=FORBIDDEN,
        ),
    ),
    ("/anvandare", {r: (OK if r == "admin" else FORBIDDEN) for r in ROLES}),
    # The year between dialogues (issue 12).
    ("/start", {r: OK for r in ROLES}),
    ("/hjalp", {r: OK for r in ROLES}),
    ("/hjalp/vardcentral", {r: OK for r in ROLES}),
    (
        "/lyfta",
        expect(
            admin=OK,
            regional_norr=OK,
            regional_syd=OK,
            mas_a=OK,
            mas_b=OK,
            chef_a1=FORBIDDEN,
            vc_alfa=FORBIDDEN,
        ),
    ),
    (
        "/lyfta/{escalated}",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN),
    ),
    (
        "/atgarder/{centre_action}",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=OK, vc_alfa=OK),
    ),
    (
        "/dialoger/{d_doc}/dokument/protokoll",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=OK, vc_alfa=OK),
    ),
    (
        "/dialoger/{d_held}/dokumenterad",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=OK, vc_alfa=FORBIDDEN),
    ),
    (
        "/dialoger/{d_doc}/las-upp",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN),
    ),
    (
        "/iakttagelser/{held_finding}/ta-bort",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=OK, vc_alfa=FORBIDDEN),
    ),
    (
        "/atgarder/{held_action}/ta-bort",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=OK, vc_alfa=FORBIDDEN),
    ),
    ("/anvandare/{chef_user}", {r: (OK if r == "admin" else FORBIDDEN) for r in ROLES}),
    (
        "/paminnelser",
        expect(
            admin=OK,
            regional_norr=OK,
            regional_syd=OK,
            mas_a=FORBIDDEN,
            mas_b=FORBIDDEN,
            chef_a1=FORBIDDEN,
            vc_alfa=FORBIDDEN,
        ),
    ),
    ("/dialoger/999999", {r: HIDDEN for r in ROLES}),
    ("/register/boenden/999999", {r: HIDDEN for r in ROLES}),
    # --- the steering loop (issue 16) ---------------------------------------------------------
    ("/overenskommelser/", {r: OK for r in ROLES}),
    ("/overenskommelser/ny", expect(**FOLLOW_UP, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN)),
    (
        "/overenskommelser/{ag_a}/redigera",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN),
    ),
    ("/overenskommelser/{ag_b}/redigera", expect(admin=OK, regional_norr=OK, mas_b=OK)),
    ("/overenskommelser/import", expect(**FOLLOW_UP, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN)),
    ("/underlag/", expect(**FOLLOW_UP, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN)),
    (
        "/underlag/boenden/{a1}/2026",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN),
    ),
    ("/underlag/boenden/{c1}/2026", expect(admin=OK, regional_syd=OK)),
    ("/underlag/import", expect(**FOLLOW_UP, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN)),
    ("/uppdrag/", expect(**FOLLOW_UP, chef_a1=FORBIDDEN, vc_alfa=OK)),
    (
        "/uppdrag/nytt",
        expect(
            admin=OK,
            regional_norr=OK,
            regional_syd=OK,
            mas_a=FORBIDDEN,
            mas_b=FORBIDDEN,
            chef_a1=FORBIDDEN,
            vc_alfa=FORBIDDEN,
        ),
    ),
    ("/uppdrag/{as_a}", expect(admin=OK, regional_norr=OK, mas_a=OK)),
    ("/uppdrag/{as_alfa}", expect(admin=OK, regional_norr=OK, vc_alfa=OK)),
    ("/uppdrag/{as_a}/andra", expect(admin=OK, regional_norr=OK, mas_a=FORBIDDEN)),
    ("/handlingsplan/", expect(**FOLLOW_UP, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN)),
    (
        "/handlingsplan/?ar=2026&kommun={A}",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN),
    ),
    (
        "/handlingsplan/handlingsplan.docx?ar=2026&kommun={A}",
        expect(admin=OK, regional_norr=OK, mas_a=OK, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN),
    ),
    (
        "/handlingsplan/?ar=2026&region={norr}",
        expect(admin=OK, regional_norr=OK, chef_a1=FORBIDDEN, vc_alfa=FORBIDDEN),
    ),
    ("/material/", {r: FOUND for r in ROLES}),
    ("/material/{norr}", expect(**{r: OK for r in ROLES if r != "regional_syd"})),
    ("/material/{norr}/agenda.docx", expect(**{r: OK for r in ROLES if r != "regional_syd"})),
    ("/material/{syd}/kallelse.docx", expect(admin=OK, regional_syd=OK)),
]


@pytest.fixture
def ids(app, world, book):
    from tests.yearround.helpers import documented

    doc = documented(app, book, home="a1", day=date(2026, 3, 10))
    held = documented(app, book, home="a1", day=date(2025, 3, 11), lock=False)
    values = {
        "escalated": doc.escalated_id,
        "centre_action": doc.actions["vardcentral"],
        "d_doc": doc.dialogue_id,
        "d_held": held.dialogue_id,
        "held_finding": held.plain_finding_id,
        "held_action": held.actions["sabo"],
        "chef_user": world.users["chef_a1"],
        "a1": world.homes["a1"],
        "b1": world.homes["b1"],
        "c1": world.homes["c1"],
        "alfa": world.centres["alfa"],
        "A": world.municipalities["A"],
        "a1_chef": world.contacts["a1_chef"],
        "b1_chef": world.contacts["b1_chef"],
        "d_a1": book("a1", date(2027, 3, 10)),
        "d_b1": book("b1", date(2027, 3, 11)),
        "norr": world.regions["norr"],
        "syd": world.regions["syd"],
    }
    with app.app_context():
        values.update(_steering_objects(world, values["d_b1"]))
    return values


def _steering_objects(world, dialogue_b1: int) -> dict:
    """Agreements of A and B, assignments owned by A, B and centre Alfa, a topic at B's dialogue."""
    from dialog.agreements.services import save_agreement
    from dialog.assignments.services import AssignmentData, save_assignment
    from dialog.models import Municipality, Participant, Region, Topic

    def agreement(muni, centre):
        return save_agreement(
            None,
            municipality=db.session.get(Municipality, world.municipalities[muni]),
            centre=db.session.get(HealthCentre, world.centres[centre]),
            valid_from=date(2026, 1, 1),
            valid_to=None,
            participation_duty=True,
            document_name="Lokal överenskommelse",
            document_ref="",
        ).id

    def assignment(owner):
        data = AssignmentData(
            "Ett uppdrag", "", "MAS-nätverket", owner, 2026, None, date(2027, 6, 30), [], []
        )
        return save_assignment(None, db.session.get(Region, world.regions["norr"]), data).id

    participant = db.session.scalar(
        sa.select(Participant.id).where(Participant.dialogue_id == dialogue_b1)
    )
    topic = Topic(dialogue_id=dialogue_b1, participant_id=participant, text="Ett ämne.")
    db.session.add(topic)
    values = {
        "ag_a": agreement("A", "alfa"),
        "ag_b": agreement("B", "beta"),
        "as_a": assignment(f"municipality:{world.municipalities['A']}"),
        "as_b": assignment(f"municipality:{world.municipalities['B']}"),
        "as_alfa": assignment(f"health_centre:{world.centres['alfa']}"),
        "topic_b": None,
    }
    db.session.flush()
    values["topic_b"] = topic.id
    db.session.commit()  # the test is the edge here
    return values


@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(client, ids, role):
    login(client, role)
    failures = []
    for template, expected in GET_MATRIX:
        url = template.format(**ids)
        status = client.get(url).status_code
        if status != expected[role]:
            failures.append(f"{url}: expected {expected[role]}, got {status}")
    assert not failures, "\n".join(failures)


def _state(app):
    """Everything a refused request must leave untouched."""
    with app.app_context():
        return {
            "dialogues": db.session.execute(
                sa.select(
                    Dialogue.id,
                    Dialogue.status,
                    Dialogue.starts_at,
                    Dialogue.location,
                    Dialogue.version,
                ).order_by(Dialogue.id)
            ).all(),
            "homes": db.session.execute(
                sa.select(CareHome.id, CareHome.name, CareHome.active).order_by(CareHome.id)
            ).all(),
            "centres": db.session.execute(
                sa.select(HealthCentre.id, HealthCentre.name, HealthCentre.active)
            ).all(),
            "contacts": db.session.execute(
                sa.select(Contact.id, Contact.name, Contact.active).order_by(Contact.id)
            ).all(),
            "audit": db.session.scalar(sa.select(sa.func.count(AuditEntry.id))),
            "steering": _steering_state(),
        }


def _steering_state():
    from dialog.models import (
        Assignment,
        AssignmentReport,
        BasisFigure,
        LocalAgreement,
        MaterialSettings,
        PlanText,
        Topic,
    )

    return {
        "agreements": db.session.execute(
            sa.select(
                LocalAgreement.id, LocalAgreement.active, LocalAgreement.document_name
            ).order_by(LocalAgreement.id)
        ).all(),
        "assignments": db.session.execute(
            sa.select(Assignment.id, Assignment.status, Assignment.title).order_by(Assignment.id)
        ).all(),
        "counts": [
            db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (BasisFigure, AssignmentReport, PlanText, MaterialSettings, Topic)
        ],
    }


def _foreign_writes(ids, world):
    """State-changing requests by MAS of municipality A against municipality B's objects."""
    return [
        (
            f"/boenden/{ids['b1']}/boka",
            {
                "day": "2027-05-05",
                "start": "09:00",
                "end": "10:00",
                "location": "X",
                "health_centre": str(world.centres["beta"]),
            },
        ),
        (
            f"/dialoger/{ids['d_b1']}/boka-om",
            {"day": "2027-05-05", "start": "09:00", "end": "10:00", "location": "X"},
        ),
        (f"/dialoger/{ids['d_b1']}/stall-in", {"reason": "Gissat id"}),
        (f"/dialoger/{ids['d_b1']}/deltagare", {"participants": []}),
        (
            f"/register/boenden/{ids['b1']}/redigera",
            {"name": "Kapad", "municipality": str(world.municipalities["B"]), "health_centre": "0"},
        ),
        (f"/register/boenden/{ids['b1']}/aktiv", {}),
        (
            f"/register/kontakter/{ids['b1_chef']}/redigera",
            {
                "name": "Kapad",
                "email": "x@test.example.org",
                "role": "enhetschef",
                "owner": f"care_home:{ids['b1']}",
            },
        ),
        (f"/register/kontakter/{ids['b1_chef']}/aktiv", {}),
        (
            "/register/kontakter/ny",
            {
                "name": "Inplanterad",
                "email": "y@test.example.org",
                "role": "enhetschef",
                "owner": f"care_home:{ids['b1']}",
            },
        ),
        (
            "/register/boenden/ny",
            {
                "name": "Inplanterat",
                "municipality": str(world.municipalities["B"]),
                "health_centre": "0",
            },
        ),
        (f"/register/vardcentraler/{world.centres['beta']}/aktiv", {}),
        (
            f"/register/kommuner/{world.municipalities['B']}/redigera",
            {"name": "Kapad", "region": "1"},
        ),
        # --- the steering loop (issue 16) -----------------------------------------------------
        (f"/overenskommelser/{ids['ag_b']}/aktiv", {}),
        (
            f"/overenskommelser/{ids['ag_b']}/redigera",
            {
                "municipality": str(world.municipalities["B"]),
                "health_centre": str(world.centres["beta"]),
                "valid_from": "2026-01-01",
                "document_name": "Kapad",
            },
        ),
        (
            "/overenskommelser/ny",
            {
                "municipality": str(world.municipalities["B"]),
                "health_centre": str(world.centres["beta"]),
                "valid_from": "2026-01-01",
                "document_name": "Inplanterad",
            },
        ),
        (f"/underlag/boenden/{ids['b1']}/2026", {"avv_fall": "3"}),
        (f"/uppdrag/{ids['as_b']}/rapportera", {"status": "klart", "text": "Kapat"}),
        (f"/uppdrag/{ids['as_b']}/andra", {"title": "Kapat"}),
        (
            "/uppdrag/nytt",
            {"title": "Inplanterat", "assignee": "X", "owner": "region:1", "source_year": "2026"},
        ),
        (
            "/handlingsplan/texter",
            {"kommun": str(world.municipalities["B"]), "ar": "2026", "text-1": "Kapat"},
        ),
        (
            f"/material/{world.regions['syd']}/installningar",
            {"public": "y", "method_text": "Kapat"},
        ),
        (
            f"/material/{world.regions['norr']}/installningar",
            {"public": "y", "method_text": "Kapat"},
        ),
        (f"/amnen/{ids['topic_b']}/ta-bort", {}),
    ]


def test_mas_cannot_change_another_municipality_by_guessing_ids(client, app, ids, world):
    login(client, "mas_a")
    before = _state(app)
    for url, data in _foreign_writes(ids, world):
        response = client.post(url, data=data)
        assert response.status_code in (400, 403, 404), f"{url} answered {response.status_code}"
    assert _state(app) == before


def test_health_centre_user_cannot_change_the_homes_data(client, app, ids, world):
    login(client, "vc_alfa")
    before = _state(app)
    for url, data in [
        (
            f"/boenden/{ids['a1']}/boka",
            {"day": "2027-05-05", "start": "09:00", "end": "10:00", "location": "X"},
        ),
        (f"/dialoger/{ids['d_a1']}/stall-in", {"reason": "Nej"}),
        (f"/register/boenden/{ids['a1']}/aktiv", {}),
        (f"/register/kontakter/{ids['a1_chef']}/aktiv", {}),
    ]:
        assert client.post(url, data=data).status_code in (403, 404), url
    assert _state(app) == before


def test_anonymous_requests_go_to_login_and_change_nothing(client, app, ids):
    before = _state(app)
    for template, _ in GET_MATRIX:
        response = client.get(template.format(**ids))
        assert response.status_code == 302 and "/logga-in" in response.headers["Location"]
    response = client.post(f"/dialoger/{ids['d_a1']}/stall-in", data={"reason": "x"})
    assert response.status_code == 302 and "/logga-in" in response.headers["Location"]
    assert _state(app) == before


def test_every_state_changing_route_refuses_a_missing_csrf_token(client, app, ids):
    """Walk the URL map: every POST route answers 400 without a token, for a logged-in admin."""
    login(client, "admin")
    before = _state(app)
    checked = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint.startswith("api"):
            continue
        values = {arg: 1 for arg in rule.arguments}
        if "kind" in values:
            values["kind"] = "boenden"
        url = rule.build(values, append_unknown=False)[1]
        response = client.post(url, data={"reason": "x", "name": "y"}, csrf=False)
        assert response.status_code == 400, f"{rule.rule} answered {response.status_code}"
        checked += 1
    assert checked >= 10
    assert _state(app) == before


def test_a_user_with_two_scopes_sees_both(app, client, world):
    from dialog.models import Role, User, UserScope

    with app.app_context():
        user = db.session.get(User, world.users["mas_a"])
        user.scopes.append(
            UserScope(role=Role.MUNICIPALITY, municipality_id=world.municipalities["B"])
        )
        db.session.commit()
    login(client, "mas_a")
    page = client.get("/arsoversikt?ar=2027").get_data(as_text=True)
    assert "Testboendet Ett" in page and "Testboendet Tre" in page
    assert "Testboendet Fyra" not in page


# Endpoints anyone may open without logging in; everything else needs a session or a token.
PUBLIC_ENDPOINTS = {"accounts.login", "static"}


def test_no_route_serves_data_to_an_anonymous_visitor(client, app, ids):
    """Walk the whole URL map (every feature's routes): anonymous GETs get the login page,
    or 401/403/404 for token-based routes (answer links, calendar feeds, the API)."""
    opened = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        if rule.endpoint.endswith("openapi") or rule.endpoint.endswith("openapi_document"):
            continue  # the API description is public by design; the API itself is not
        values = dict(rule.defaults or {})
        for arg in rule.arguments - set(values):
            numeric = isinstance(rule._converters[arg], IntegerConverter)
            values[arg] = 1 if numeric else "x"
        url = rule.build(values, append_unknown=False)[1]
        response = client.get(url)
        if response.status_code == 302:
            target = response.headers["Location"]
            if "/logga-in" in target or target in ("/", "http://localhost/"):
                continue
        if response.status_code in (400, 401, 403, 404, 405, 410):
            continue
        opened.append(f"{rule.rule} ({rule.endpoint}) -> {response.status_code}")
    assert not opened, "\n".join(opened)


# --- the year between dialogues: state-changing routes × roles (issue 12) ---------------------

FOUND = 302  # done (redirect after the change)


def _year_posts(app, book, world):
    """(name, url, data, expected per role) against a documented dialogue of home a1."""
    from tests.yearround.helpers import documented

    doc = documented(app, book, home="a1", day=date(2026, 3, 10))
    with app.app_context():
        from dialog.findings import action_followup
        from dialog.models import Action

        stamps = {
            k: action_followup.stamp(db.session.get(Action, v)) for k, v in doc.actions.items()
        }
    return [
        (
            "follow up the centre's action",
            f"/atgarder/{doc.actions['vardcentral']}/uppfoljning",
            {"status": "pagar", "seen": stamps["vardcentral"]},
            expect(admin=FOUND, regional_norr=FOUND, mas_a=FOUND, chef_a1=FORBIDDEN, vc_alfa=FOUND),
        ),
        (
            "follow up the home's action",
            f"/atgarder/{doc.actions['sabo']}/uppfoljning",
            {"status": "pagar", "seen": stamps["sabo"]},
            expect(admin=FOUND, regional_norr=FOUND, mas_a=FOUND, chef_a1=FOUND, vc_alfa=FORBIDDEN),
        ),
        (
            "acknowledge the escalation",
            f"/lyfta/{doc.escalated_id}/kvittera",
            {"comment": "Sett."},
            expect(
                admin=FOUND,
                regional_norr=FOUND,
                mas_a=FOUND,
                chef_a1=FORBIDDEN,
                vc_alfa=FORBIDDEN,
            ),
        ),
        (
            "unlock with a reason",
            f"/dialoger/{doc.dialogue_id}/las-upp",
            {"reason": "Rätta närvaron.", "version": ""},
            expect(
                admin=FOUND,
                regional_norr=FOUND,
                mas_a=FOUND,
                chef_a1=FORBIDDEN,
                vc_alfa=FORBIDDEN,
            ),
        ),
        (
            "answer an invitation one is not on",
            f"/dialoger/{doc.dialogue_id}/mitt-svar",
            {"response": "ja"},
            expect(
                admin=FORBIDDEN,
                regional_norr=FORBIDDEN,
                mas_a=FORBIDDEN,
                chef_a1=FORBIDDEN,
                vc_alfa=FORBIDDEN,
            ),
        ),
        (
            "reset a password",
            f"/anvandare/{world.users['chef_a1']}/losenord",
            {"password": "ett-annat-losenord-9"},
            {r: (FOUND if r == "admin" else FORBIDDEN) for r in ROLES},
        ),
        (
            "change the reminder settings",
            "/paminnelser",
            {
                "region": str(world.regions["norr"]),
                "followup_mail": "y",
                "action_reminder_days": "10",
                "overdue_reminders": "y",
                "digest_weekday": "2",
            },
            expect(
                admin=FOUND,
                regional_norr=FOUND,
                regional_syd=HIDDEN,
                mas_a=FORBIDDEN,
                mas_b=FORBIDDEN,
                chef_a1=FORBIDDEN,
                vc_alfa=FORBIDDEN,
            ),
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_year_between_post_matrix(app, client, world, book, role):
    posts = _year_posts(app, book, world)
    login(client, role)
    failures = []
    for name, url, data, expected in posts:
        audit_before = _audit_count(app)
        status = client.post(url, data=data).status_code
        if status != expected[role]:
            failures.append(f"{name} ({url}): expected {expected[role]}, got {status}")
        if status != FOUND and _audit_count(app) != audit_before:
            failures.append(f"{name}: refused but the audit log grew")
    assert not failures, "\n".join(failures)


def _audit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
