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
        "Per Låtsasson har ont.",
        "Bo Testlund föll från sängen.",
        "Karlsson på andra våningen har gått ner i vikt.",
        "Sjuksköterskan ringde Gunnels dotter.",
        "Brukaren Ziggurat fick fel dos.",
        "Dragan har ramlat igen.",
        "Amina fick inte sina läkemedel.",
        "Halima Warsame är orolig på kvällarna.",
        "Vi pratade om kerstin och maten.",
        "GÖSTA har gått ner i vikt.",
        "Dag vägrar ta sina tabletter.",
        "Personalen förstår inte fru Lindqvist.",
        "Janne går ut på nätterna.",
        "Musse sitter mest på rummet.",
        "Kaarina och Esko vill ha finsktalande personal.",
        "anna föll i natt",
        "Vera föll igen.",
    ],
)
def test_names_in_patient_context(text):
    assert "namn" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Brukaren A.B. fick fel insulin.",
        "Patient K föll.",
        "Boende GL har ett sår.",
        "Vi behöver prata om HJ:s vandringar nattetid.",
        "EK och GT delar rum.",
        "K-G har svårt att svälja.",
    ],
)
def test_initials(text):
    assert "initialer" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Sonen Janne ringde igen.",
        "Hennes dotter har klagat på maten.",
        "Dottern till kvinnan på Lärkan ringer varje kväll.",
    ],
)
def test_relatives(text):
    assert "anhorig" in kinds(text)


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
        "Dag och tid för uppföljning bestäms senare.",
        "Sten och grus på gångvägarna ökar fallrisken.",
        "Per telefon går det bra att nå läkaren.",
        "Vid fall utanför kontorstid kontaktas jourläkaren.",
        "Fallen minskade hos de boende. Ansvar: enhetschefen följer upp.",
        "Mötet hölls i Mora med deltagare från Nora och Lund.",
        "Vera-projektet om sinnesstimulering pågår.",
        "MAS, SÄBO-läkare och IVO nämndes i genomgången.",
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


def test_a_new_home_joins_the_cached_register_names_at_once(app, world):
    """A home added through the ORM is masked from its flush on, and the cached register grows
    by its phrases instead of being rebuilt (a CSV import adds 50 in one request)."""
    from dialog.extensions import db
    from dialog.models import CareHome
    from dialog.privacy import guard
    from dialog.privacy.names_rules import org_phrases

    with app.app_context():
        assert kinds("Karl-Johans gård har bra rutiner.") == ["namn"]  # builds the register
        built = guard._REGISTERS[app][0]
        a1 = db.session.get(CareHome, world.homes["a1"])
        db.session.add(
            CareHome(
                name="Karl-Johans gård", address="Nyvägen 3", municipality_id=a1.municipality_id
            )
        )
        db.session.flush()
        assert find_patient_data("Karl-Johans gård har bra rutiner.") == []
        assert kinds("Karl-Johan föll.") == ["namn"]
        built_at, names, phrases = guard._REGISTERS[app]
        assert built_at == built  # grown, not rebuilt
        assert {"Karl-Johans gård", "Nyvägen 3"} <= set(names)
        rebuilt = org_phrases(names)
        assert phrases == rebuilt
        assert (phrases.firsts, phrases.longest) == (rebuilt.firsts, rebuilt.longest)
        db.session.rollback()


def test_a_renamed_home_rebuilds_the_cached_register(app, world):
    from dialog.extensions import db
    from dialog.models import CareHome
    from dialog.privacy import guard

    with app.app_context():
        find_patient_data("Rutinerna följs.")  # builds the register
        home = db.session.get(CareHome, world.homes["a1"])
        home.name = "Karl-Johans gård"
        db.session.flush()
        assert app not in guard._REGISTERS
        assert find_patient_data("Karl-Johans gård har bra rutiner.") == []
        db.session.rollback()


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
    message = info.value.field_message  # shown to the writer in the form only
    assert message.startswith("Texten ser ut att innehålla patientuppgifter")
    for words in ("”Gunvor” (namn)", "”rum 14”", "”121212-1212” (personnummer)"):
        assert words in message
    assert "Skriv strukturellt" in message
    # str() is what a log line or an error report would print: no refused words in it.
    logged = str(info.value)
    assert logged.startswith("Beskrivning: texten innehåller patientuppgifter")
    for words in ("Gunvor", "14", "1212"):
        assert words not in logged
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
        "Zlatinka föll i natt",  # a name in no list, without a title or patient word
        "Ring 70 123 45 67",  # a phone number without the leading zero
        "121212 - 12 12",  # the last four digits split by a space
    ],
)
def test_known_misses(text):
    assert find_patient_data(text, org_names=[])


# --- the forms the issue lists -------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "52.11.03.4417",  # dots
        "52/11/03-4417",  # slashes
        "(520101-XXXX)",  # masked, no label
        "19520101-xxxx",
        "5 2 0 1 0 1 - 4 4 1 7",  # digit by digit
        "52O1O1-4417",  # a letter O typed for 0
        "52l101-44l7",  # a letter l typed for 1
        "19520101\n-4417",  # split across a line break
        "520101-\n4417",
        "5201 01-4417",
    ],
)
def test_identity_numbers_written_other_ways(number):
    hits = find_patient_data(f"Det gällde {number} enligt listan.", org_names=[])
    assert [h.kind for h in hits] == ["personnummer"], hits
    assert number.strip("()") in hits[0].text


def test_check_digit_says_how_sure_never_lets_through():
    good, bad = (find_patient_data(f"Gäller {n}.")[0] for n in ("19121212-1212", "19121212-1213"))
    assert good.kind == bad.kind == "personnummer"
    assert good.certainty == 1.0 and bad.certainty < 1.0


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Hon är i åttioårsåldern.", "alder"),
        ("Han fyllde nittiosex i somras.", "alder"),
        ("En 89-åring fick vänta.", "alder"),
        ("Han bodde på Ekgatan 12, 611 30 Nyköping.", "adress"),
        ("Dottern bor på Björkvägen 3B.", "adress"),
        ("Mejla janne_b52(at)gmail.com om läkemedlen.", "epost"),
        ("Svar till britt.s [at] telia.com.", "epost"),
        ("Boende på rum XIV har larmat.", "rumsnummer"),
        ("Läkemedlen till lgh. 5 förväxlades.", "rumsnummer"),
        ("Mannen i r. 12 vill inte ha tillsyn.", "rumsnummer"),
        ("Dottern nås på 070-482 19 63.", "telefon"),
        ("Kvinnan som flyttade in förra veckan fick ingen läkemedelsgenomgång.", "enskilt_fall"),
        ("Lunginflammation konstaterad 2026-01-17, inlagd på medicin.", "diagnos"),
    ],
)
def test_other_identifiers(text, kind):
    assert kind in kinds(text, org_names=[]), find_patient_data(text, org_names=[])


def test_individual_case_refusal_shows_the_structural_way():
    with pytest.raises(PatientDataError) as info:
        ensure_no_patient_data("En boende föll två gånger i natt.", "Beskrivning")
    assert "Vid två tillfällen i våras" in info.value.field_message
    assert "Rutinen för" in info.value.field_message


@pytest.mark.parametrize(
    "text",
    [
        "Vaskulär demens (F01.9) och Alzheimer (F00.1) är vanligast bland de boende.",
        "Kvetiapin (N05AH04) förskrivs till fler än hälften med demensdiagnos.",
        "Enligt HSLF-FS 2017:37 och SOSFS 2011:9 ska rutinen finnas.",
        "Nästa dialog 2027-03-09 kl. 13.00–15.00 i samlingssalen.",
        "Avvikelse nr 2025-0412 har utretts; 38 % av 112 avvikelser gällde läkemedel.",
        "Vårdcentralens växel 0586-48 10 00 är öppen dagtid.",
        "Ring sjuksköterskelinjen 010-241 35 60 för rådgivning.",
        "Rum 4 används som personalrum.",
        "Vårdcentralen ligger på Drottninggatan 12 i Arboga.",
        "När en boende faller ska personalen göra en bedömning.",
        "Flera boende föll i våras, särskilt nattetid.",
        "Bo kvar-principen gör att många flyttar in senare.",
        "Mötet hölls i Karlskoga med deltagare från Ale och Vara.",
        "Oxynorm, Alvedon och Eliquis förvaras i läkemedelsrummet.",
        "Utbrottet av vinterkräksjuka i februari drabbade 17 boende.",
        "Patienten som medskapare är en grundförutsättning.",
    ],
)
def test_structural_traps_pass(text):
    assert find_patient_data(text, org_names=[]) == [], find_patient_data(text, org_names=[])


@pytest.mark.parametrize("text", ["Anna Andersson", "Kjell-Åke Nyström", "Dr. Amina Hassan"])
def test_name_mode_allows_a_staff_name(text):
    assert find_patient_data(text, mode="name") == []


@pytest.mark.parametrize(
    "text",
    [
        "Anna Andersson 19121212-1212",
        "Anna Andersson, 87 år",
        "Anna Andersson rum 14",
        "Anna Andersson, Ekgatan 12, 611 30 Nyköping",
        "Patienten Anna Andersson",
        "Anna (dotter till boende)",
    ],
)
def test_name_mode_refuses_patient_data_beside_the_name(text):
    assert find_patient_data(text, mode="name")


def test_org_and_phone_modes():
    assert find_patient_data("Anna-Lisas hem, Storgatan 4, 611 30 Nyköping", mode="org") == []
    assert find_patient_data("Demoboendet 19121212-1212", mode="org")
    assert find_patient_data("08-123 456 78", mode="phone") == []
    assert find_patient_data("19121212-1212", mode="phone")
