"""The guard's knowledge of names: the names file (data/names.tsv) and the words that look like
names but are not people here.

The names file holds several thousand first names and surnames used in Sweden (with nicknames,
origins, frequency and a flag for names that are also ordinary words), the 290 municipalities,
the 21 regions and other places; its header names the sources and their licences, and
tools/privacy_names/build.py rebuilds it. The context rules live in names_rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "names.tsv"


@dataclass
class NameBook:
    first: set[str] = field(default_factory=set)  # first names and nicknames
    surnames: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # names that are also ordinary words
    places: set[str] = field(default_factory=set)  # municipalities, regions' words, places
    per_million: dict[str, int] = field(default_factory=dict)
    common_lower: set[str] = field(default_factory=set)  # lower-case forms safe to flag alone
    people: frozenset[str] = frozenset()  # first names and surnames together

    def is_first(self, word: str) -> bool:
        return word in self.first

    def is_surname(self, word: str) -> bool:
        return word in self.surnames

    def is_person(self, word: str) -> bool:
        return word in self.first or word in self.surnames

    def ambiguous(self, word: str) -> bool:
        """A name that is also a word or a place: context must decide."""
        return word in self.words or word in self.places


@cache
def book() -> NameBook:
    names = NameBook()
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, kinds, origins, per_million, flags, _base = line.split("\t")
        flag_set = set(flags.split(",")) if flags else set()
        if set(kinds) & set("FMUN"):
            names.first.add(name)
        if "S" in kinds:
            names.surnames.add(name)
        if "P" in kinds or "R" in kinds or "municipality" in flag_set:
            names.places.add(name)
        if "word" in flag_set:
            names.words.add(name)
        names.per_million[name] = int(per_million or 0)
        if (
            set(kinds) & set("FMUN")
            and "word" not in flag_set
            and "P" not in kinds
            and len(name) >= 4
            and (int(per_million or 0) >= 200 or origins in {"so", "ar,so", "fa", "ku", "bs"})
        ):
            names.common_lower.add(name.lower())
    names.people = frozenset(names.first | names.surnames)
    return names


# Capitalised words that look like names here but are not people: eponyms, scales, systems,
# medicines, authorities, months and days. Compared with the word as written (title case).
NOT_NAMES = frozenset(
    """
Parkinson Parkinsons Alzheimer Alzheimers Huntington Huntingtons Downton Norton Nortons Braden
Glasgow Morse Waterlow Apgar Lewy Creutzfeldt Korsakoff Korsakoffs Wernicke Crohn Crohns
Addison Addisons Cushing Cushings Basedow Sjögrens Raynaud Raynauds Hodgkin Hodgkins Bechterew
Lex Senior Alert Cosmic Treserva Pascal Lifecare Procapita Phoniro Take Care Melior Prator
Janusinfo Fass Inera Teams Skype Zoom Synergi Apodos Sankt Karolinska Sahlgrenska Ersta
Sofiahemmet Sverige Norden Europa Svenska Svenskt Sveriges Socialstyrelsen Läkemedelsverket
Vårdhandboken Vårdhygien Folkhälsomyndigheten Folktandvården Demenscentrum Strama Skatteverket
Försäkringskassan Kronofogden Arbetsmiljöverket
Januari Februari Mars April Maj Juni Juli Augusti September Oktober November December
Måndag Tisdag Onsdag Torsdag Fredag Lördag Söndag Påsk Jul Midsommar Nyår Lucia Advent
Alvedon Citodon Oxynorm Morfin Midazolam Haldol Robinul Furix Furosemid Waran Eliquis Trombyl
Levaxin Insulatard NovoRapid Novorapid Stesolid Sobril Oxascand Propavan Theralen Imovane
Zopiklon Kåvepenin Oxikodon Paracetamol Panodil Ipren Voltaren Madopark Sinemet Lyrica
Cipramil Sertralin Mirtazapin Risperdal Risperidon Seroquel Kvetiapin Xarelto Pradaxa Metformin
Lantus Humalog Lasix Behepan Omeprazol Movicol Laxoberal Forceval Calcichew Alendronat
Abilify Trombyl Waran Morfin Oxascand Atarax Lergigan Nozinan Dexofen Tramadol Durogesic
Norspan Abstral Fentanyl Buventol Ventoline Spiriva Symbicort Bricanyl Atrovent
MAS MAR SÄBO BPSD VC HSL SoL LSS IVO NPÖ SIP NEWS Alfa Beta Gamma Delta
""".split()
)

# Upper-case abbreviations used in care minutes; never initials of a person.
ABBREVIATIONS = frozenset(
    """
VC AT FT SSK USK EC VO MAS MAR HSL SOL LSS IVO APT SIP NPÖ BPSD ADL KAD KOL UVI TIA EKG CRP HB
BT IV SC IM PEG OK TV PC IT HR AB EU SKR SKL VGR SLL RS ROAG MNA ESAS SBAR NEWS ATC ICD HSLF FS
SOSFS DNR NR CA KL ST AP VB PRN SÄBO SÄBO-läkare LOV LOU MRSA ESBL VRE GI GFR INR PK HLR DNR
SAS ÄO ÄBO OBS ATT TF AKUT MAVA IVA SVPL SPR BIG FYSS DHR RFSU PRO SPF SPRF KPR SKPF NPF VIP
SMS MMS PDF FAQ VD HSA SITHS MAS-MAR RTG MR DT CT AVD LSO SOU SFS HFS FHM UD LIS AST BHV NIP
SN ÄN VN KS KF HSN VON ON SON SOF IFO RJL RÖ VG
""".split()
)

# Words that mark a person's title or role in front of a name.
TITLES = (
    "herr",
    "fru",
    "fröken",
    "frk",
    "hr",
    "tant",
    "farbror",
    "morbror",
    "faster",
    "moster",
    "mr",
    "mrs",
    "ms",
    "änkan",
    "änkeman",
    "mormor",
    "morfar",
    "farmor",
    "farfar",
)
