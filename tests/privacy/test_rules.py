"""Unit tests per rule of the patient-data guard. All data invented."""

from __future__ import annotations

import pytest

from dialog.privacy import PatientDataError, ensure_no_patient_data, find_patient_data


def kinds(text, **kw):
    return [h.kind for h in find_patient_data(text, **kw)]


# --- personnummer and samordningsnummer -------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "19121212-1212",
        "121212-1212",
        "121212+1212",
        "121212 1212",
        "1212121212",
        "191212121212",
        "19121212 1212",
        "121212-1213",  # wrong check digit: still refused
        "１２１２１２－１２１２",  # full-width
        "12\u200b1212-12\u200d12",  # zero-width space and joiner inside
        "1212\u00ad12-1212",  # soft hyphen
        "121212\u20131212",  # en dash
        "١٢١٢١٢-١٢١٢",  # Arabic-Indic digits
    ],
)
def test_personal_identity_numbers_in_every_form(number):
    hits = find_patient_data(f"Avvikelsen gällde {number} på kvällen.")
    assert [h.kind for h in hits] == ["personnummer"]
    assert hits[0].text == number  # points at what the user wrote, not the normalised form


@pytest.mark.parametrize("number", ["121272-1212", "19121272-1212", "1212721212", "121291 1212"])
def test_coordination_numbers(number):
    assert kinds(f"Samordning: {number}.") == ["samordningsnummer"]


@pytest.mark.parametrize(
    "text",
    [
        "Åtgärden ska vara klar 2027-06-30.",
        "Vi har 1212 boende i kommunen.",
        "Ärende 2026-123456 i diariet.",
        "Boendet har 48 platser.",
        "Ring 1177 eller 112.",
    ],
)
def test_numbers_that_are_not_identity_numbers(text):
    assert find_patient_data(text) == []


def test_labelled_partial_number():
    assert kinds("pnr: 121212-XXXX") == ["personnummer"]


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Gunvor föll i badrummet.",
        "Vi missade att Karin gått ner i vikt.",
        "Herr Exempelsson vägrar ta sina mediciner.",
        "Fru Påhittad är orolig.",
        "Brukaren A.B. fick fel insulin.",
        "Patient K föll.",
        "Per Låtsasson har ont.",
        "Bo Testlund föll från sängen.",
        "Karlsson på andra våningen har gått ner i vikt.",
        "Sjuksköterskan ringde Gunnels dotter.",
        "Brukaren Ziggurat fick fel dos.",
    ],
)
def test_names_in_patient_context(text):
    assert "namn" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Bo kvar-principen gäller.",
        "Många vill bo kvar.",
        "Alla boende har en genomförandeplan.",
        "I maj hölls en utbildning.",
        "Maj och juni är tunga månader.",
        "Per dag ges tre doser.",
        "Hans roll som samordnare är viktig.",
        "En Lex Maria-anmälan gjordes.",
        "Boende med Parkinsons sjukdom.",
        "Risk enligt Downton och Norton bedöms.",
        "Stina-rummet används för aktiviteter.",
        "Dag för dag blir det bättre.",
    ],
)
def test_ordinary_words_are_not_names(text):
    assert find_patient_data(text) == []


def test_names_of_organisations_in_the_register_are_not_people():
    text = "Samverkan mellan Vårdcentralen Karl Johan och Annagården fungerar."
    assert "namn" in kinds(text, org_names=[])
    assert kinds(text, org_names=["Vårdcentralen Karl Johan", "Annagården"]) == []


def test_register_names_come_from_the_database(app, world):
    from dialog.extensions import db
    from dialog.models import CareHome

    with app.app_context():
        home = db.session.get(CareHome, world.homes["a1"])
        home.name = "Anna-Lisas hem"
        db.session.commit()
    with app.app_context():
        assert find_patient_data("Anna-Lisas hem har bra rutiner.") == []
        assert kinds("Anna-Lisa föll.") == ["namn"]


# --- rooms, ages, birth dates, phones, e-mail --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "boende i rum 14",
        "lgh 1102",
        "lägenhet 3B",
        "rum nr 7",
        "mannen på 14:an",
        "lägenhet nummer 12",
        "han bor i rum fjorton",
    ],
)
def test_room_numbers(text):
    assert kinds(text) == ["rumsnummer"]


@pytest.mark.parametrize(
    "text",
    [
        "Det finns två rum för korttid.",
        "Avdelning 3 har 12 lägenheter.",
        "Rummet för samtal används som förråd.",
    ],
)
def test_rooms_without_numbers_are_fine(text):
    assert find_patient_data(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "En 94-årig kvinna föll.",
        "Mannen är 87 år.",
        "Kvinnan, 92 år, hittades.",
        "Hon fyllde 90.",
        "En nittiofemårig man.",
        "Damen på 97 år.",
        "Hon är nittiotvå år.",
    ],
)
def test_ages_of_individuals(text):
    assert kinds(text) == ["alder"]


@pytest.mark.parametrize(
    "text",
    [
        "Personer över 80 år har ökad fallrisk.",
        "Medelåldern är 87 år.",
        "65 år och äldre erbjuds vaccin.",
        "Boende mellan 70 och 100 år.",
        "Vi har funnits i 50 år.",
    ],
)
def test_ages_of_groups_are_fine(text):
    assert find_patient_data(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "född 1931-04-12",
        "f. 1934",
        "född -32",
        "född 12 mars 1929",
        "födelsedatum 19400523",
        "Journal 1938-11-30 saknades.",
    ],
)
def test_birth_dates(text):
    assert kinds(text) == ["fodelsedatum"]


@pytest.mark.parametrize(
    "text",
    [
        "070-123 45 67",
        "0731234567",
        "+46 70 987 65 43",
        "08-123 456 78",
        "0046 73 555 12 34",
        "tel 123 45 67",
    ],
)
def test_phone_numbers(text):
    assert kinds(f"Ring {text} vid förändring.") == ["telefon"]


def test_private_email_but_not_functional_mailbox():
    assert kinds("Skicka till anna.exempel@gmail.com") == ["epost"]
    assert kinds("Skicka till karin@vardcentral.example.org") == ["epost"]
    assert find_patient_data("Skicka till mas@testkommun.example.org") == []


def test_error_message_points_at_the_words_in_swedish():
    with pytest.raises(PatientDataError) as info:
        ensure_no_patient_data("Gunvor i rum 14, 121212-1212.", "Beskrivning")
    message = str(info.value)
    assert message.startswith("Beskrivning: Texten ser ut att innehålla patientuppgifter")
    for words in ("”Gunvor” (namn)", "”rum 14”", "”121212-1212” (personnummer)"):
        assert words in message
    assert "Skriv strukturellt" in message
    assert [h.kind for h in info.value.hits] == ["namn", "rumsnummer", "personnummer"]


def test_empty_and_clean_text():
    ensure_no_patient_data("", "Beskrivning")
    ensure_no_patient_data("Rutinen för läkemedelsgenomgång följs.", "Beskrivning")


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    [
        "Gunvor ",
        "rum 14 ",
        "19121212-1212 ",
        "１２",
        "\u200b",
        "\u00ad",
        "Bo kvar ",
        "94-årig ",
        "född 1931 ",
        "070-123 45 67 ",
        "A.B. ",
        "över 80 år ",
        "Lex Maria ",
        "ö",
        "e\u0301",
        "\n",
        "Herr ",
        "x@gmail.com ",
        "–",
        " ",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=25))
def test_hits_always_point_into_the_original_text(pieces):
    text = "".join(pieces)
    last_end = 0
    for hit in find_patient_data(text, org_names=[]):
        assert 0 <= hit.start < hit.end <= len(text)
        assert hit.text == text[hit.start : hit.end]
        assert hit.start >= last_end  # sorted, no overlaps
        last_end = hit.end


# Known limits, kept visible: the guard needs a capital letter, a list entry or a context word
# to see a name, and it does not read numbers split in unusual places.
@pytest.mark.xfail(strict=True, reason="known limit of the guard")
@pytest.mark.parametrize(
    "text",
    [
        "anna föll i natt",  # a name written in lower case without context
        "Zlatinka föll i natt",  # a name in no list, without a title or patient word
        "Vera föll igen.",  # a name that is also a word, first in the sentence
        "Ring 70 123 45 67",  # a phone number without the leading zero
        "121212 - 12 12",  # the last four digits split by a space
    ],
)
def test_known_misses(text):
    assert find_patient_data(text, org_names=[])
