"""Entity resolution against the registry: companies, facilities, countries and agencies.

Names come from the shipped registry (companies with aliases and parent links, facilities
with their site names) so that a new company added to the registry is recognised without a
code change. A name the registry does not know is reported as `proposed`, never guessed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process, utils

from magchain.ingest.guards import guarded

FUZZY_THRESHOLD = 88
# Words of registry names that open sentences as common words ("Less than a week", "High prices")
COMMON_WORDS = {"less", "high", "gold", "golden", "iron", "steel", "copper", "star", "peak", "summit",
                "rising", "plant", "galaxy", "fuels", "ion", "pre", "e"}
# Words that say nothing about which company is meant; a fuzzy match needs another word.
GENERIC_NAME_WORDS = {
    "rare", "earth", "earths", "element", "elements", "materials", "material", "magnetics",
    "magnet", "magnets", "resources", "metals", "metal", "mining", "minerals", "mineral",
    "technologies", "technology", "group", "inc", "corp", "ltd", "llc", "plc", "gmbh", "co",
    "company", "corporation", "holdings", "advanced", "performance", "industries", "the", "of",
    "and", "&", "new", "energy", "china", "usa", "us", "american", "australian", "strategic",
    "state", "international", "global", "high-tech", "chemical", "electronics", "research",
    "council", "tailings", "joint", "venture", "jv", "north", "northern", "south", "southern",
}
# A capitalised name ending in one of these is an organisation even if the registry lacks it.
ORGANISATION_SUFFIXES = (
    "Inc", "Inc.", "LLC", "Ltd", "Ltd.", "Limited", "Corp", "Corp.", "Corporation", "Company",
    "GmbH", "AG", "plc", "PLC", "Group", "Holdings", "Ventures", "Materials", "Metals",
    "Magnetics", "Mining", "Minerals", "Resources", "Technologies", "Elements", "Rare Earths",
    "Rare Earth", "Industries", "Chemical", "Chemicals",
)
LEGAL_SUFFIXES = ("Inc", "LLC", "Ltd", "Limited", "Corp", "Corporation", "GmbH", "AG", "plc",
                  "PLC", "SA", "SpA")
# Words just before a name that make it an organisation ("automaker General Motors").
ORGANISATION_CUES = re.compile(
    r"(?:company|firm|producer|manufacturer|maker|miner|startup|start-up|automaker|carmaker|"
    r"supplier|refiner|developer|group)\s+$", re.IGNORECASE)
# What only an organisation is or does, just after its name: "Trafalger's founder", "Ashvini has
# commissioned", "Halvard plans to build". Saying and signing are left out: people do both.
ORGANISATION_ROLE_AFTER = re.compile(
    r"[’']s\s+(?:co-?founder|founder|chief|CEO|chairman|chairwoman|president|managing|board|shares|"
    r"subsidiary)\b", re.IGNORECASE)
ORGANISATION_ACT_AFTER = re.compile(
    r",?\s+(?:(?:has|have|had)\s+(?:also\s+)?(?:purchased|acquired|secured|raised|received|commissioned|"
    r"opened|launched|completed|begun|started\s+(?:construction|production))|purchased|acquired|"
    r"commissioned|operates|manufactures|plans\s+to\s+(?:build|invest|produce|set\s+up|establish|expand)|"
    r"is\s+(?:building|constructing|developing|investing))\b")
# what a name of several words intends: "Attero Recycling plans to increase", "Lohum Cleantech aims
# to expand" (one word is as often a capital standing for its government: "Beijing plans to")
ORGANISATION_INTENT_AFTER = re.compile(
    r"\s+(?:plans|aims|intends|seeks|is\s+(?:going|set|looking|planning|aiming))\s+to\s+[a-z]+\b")
# what it is, set off by a comma: "Lohum, a diversified producer of critical minerals, is ..."
ORGANISATION_APPOSITIVE_AFTER = re.compile(
    r",\s+(?:a|an)\s+(?:[\w-]+\s+){0,4}?(?:company|firm|producer|maker|manufacturer|miner|recycler|"
    r"start-?up|developer|supplier|refiner|subsidiary)(?![\w’'-])"
    r"(?!\s+(?:executives?|officials?|spokes\w+|sources?|insiders?|chiefs?|heads?|directors?)\b)")
_SENTENCE_END = re.compile(r"[.!?]\s|\n")
# Capitalised words that open a sentence or describe a name rather than belong to it.
LEADING_NON_NAMES = {
    "the", "a", "an", "this", "its", "their", "startup", "start-up", "miner", "producer",
    "refiner", "manufacturer", "automaker", "carmaker", "supplier", "developer", "magnet",
    "company", "firm", "group", "chipmaker", "meanwhile", "however", "additionally",
    "currently", "recently", "jv", "consortium", "government", "ministry",
}
_CAPITALISED_NAME = re.compile(
    r"(?<![\w-])(?:[A-Z][\w.&-]*|e[A-Z][\w-]*)(?:\s+(?:&\s+|of\s+|de\s+)?(?:[A-Z][\w.&-]*))*")

AGENCIES = [
    ((r"(?:U\.?S\.? )?Department of (?:Defense|War)|Defense Department|Pentagon|\bDoD\b|\bDoW\b"
     r"|Office of Strategic Capital|Defense Logistics Agency|\bIBAS\b"), "DoD"),
    (r"(?:U\.?S\.? )?Department of Energy|Energy Department|\bDOE\b", "DOE"),
    (r"Department of Commerce|Commerce Department|Bureau of Industry and Security", "DOC"),
    (r"Defense Production Act|\bDPA\b", "DPA"),
    (r"Inflation Reduction Act|\bIRA\b", "IRA"),
    (r"Export-Import Bank|\bEXIM\b|\bEXIM Bank\b", "EXIM"),
    (r"(?:International )?Development Finance Corporation|\bDFC\b", "DFC"),
    (r"National Defense Stockpile", "National Defense Stockpile"),
    (r"National Institute of Standards and Technology|\bNIST\b", "NIST"),
    (r"Ministry of Economy, Trade and Industry|\bMETI\b", "METI"),
    (r"\bJOGMEC\b|Japan Organization for Metals and Energy Security", "JOGMEC"),
    (r"Ministry of Commerce|\bMOFCOM\b", "MOFCOM"),
    (r"Ministry of Industry and Information Technology|\bMIIT\b", "MIIT"),
    (r"European Commission|European Investment Bank", "European Commission"),
    (r"Export Finance Australia|Critical Minerals Facility", "Export Finance Australia"),
    (r"(?:U\.?S\.? )?Senate", "US Senate"),
    (r"(?:U\.?S\.? )?Congress", "US Congress"),
    (r"Industrial Development Corporation", "Industrial Development Corporation"),
    (r"Bipartisan Infrastructure Law", "DOE"),
    (r"(?:Indian|Union) Cabinet", "Indian Cabinet"),
    (r"(?:Ministry|Department) of [A-Z][a-z]+(?: and [A-Z][a-z]+)?", None),
]
# One alternation, earlier entries first, so a sentence is scanned once.
_AGENCY_PATTERN = guarded("|".join(f"(?P<a{i}>{pattern})" for i, (pattern, _) in enumerate(AGENCIES)))

COUNTRY_VARIANTS = {
    "US": ["U.S.", "U.S", "US", "USA", "U.S.A.", "United States", "America", "American",
           "Americans"],
    "CN": ["China", "Chinese", "PRC", "People’s Republic of China", "People's Republic of China",
           "Beijing", "Inner Mongolia", "Baotou", "Ganzhou", "Jiangxi"],
    "KR": ["South Korea", "Korea", "Korean", "Seoul"],
    "JP": ["Japan", "Japanese", "Tokyo"],
    "DE": ["Germany", "German"],
    "GB": ["UK", "U.K.", "Britain", "British", "England", "United Kingdom"],
    "FR": ["France", "French"],
    "CA": ["Canada", "Canadian", "Ontario", "Quebec", "Saskatchewan", "Alberta",
           "British Columbia"],
    "AU": ["Australia", "Australian", "Western Australia", "Queensland", "New South Wales"],
    "IN": ["India", "Indian"],
    "BR": ["Brazil", "Brazilian"],
    "CL": ["Chile", "Chilean"],
    "ZA": ["South Africa", "South African"],
    "LU": ["Luxembourg"],
    "MN": ["Mongolia", "Mongolian", "Ulaanbaatar"],
    "MY": ["Malaysia", "Malaysian"],
    "VN": ["Vietnam", "Viet Nam", "Vietnamese"],
    "MM": ["Myanmar", "Burma", "Burmese"],
    "RU": ["Russia", "Russian"],
    "EE": ["Estonia", "Estonian"],
    "NO": ["Norway", "Norwegian"],
    "SE": ["Sweden", "Swedish"],
    "SA": ["Saudi Arabia", "Saudi"],
    "EU": ["European Union", "EU", "Europe", "European"],
}
US_STATES = [
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
    "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "Ohio", "Oklahoma", "Oregon",
    "Pennsylvania", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington",
    "Wisconsin", "Wyoming", "New Hampshire", "New Jersey", "New Mexico", "New York",
    "North Carolina", "North Dakota", "Rhode Island", "South Carolina", "South Dakota",
    "West Virginia",
]


@dataclass(frozen=True)
class Mention:
    """A name found in text and what it resolves to."""

    text: str
    start: int
    end: int
    canonical: str
    id: str | None = None
    country: str | None = None
    proposed: bool = False
    score: float = 100.0


@dataclass
class Gazetteer:
    companies: dict[str, dict] = field(default_factory=dict)
    facilities: dict[str, dict] = field(default_factory=dict)
    company_names: dict[str, str] = field(default_factory=dict)
    facility_names: dict[str, list[str]] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self._company_pattern = _alternation(self.company_names)
        self._facility_pattern = _alternation(self.facility_names, case_sensitive=True)
        self._country_pattern = _alternation(self.country_names, case_sensitive=True)
        self._fuzzy_choices = list(self.company_names)
        self._distinctive_vocabulary = sorted({w for name in self._fuzzy_choices
                                               for w in _distinctive_words(name)})
        self._distinctive_vocabulary_set = frozenset(self._distinctive_vocabulary)

    # -- companies ---------------------------------------------------------------------------
    def find_companies(self, text: str, agencies: list[Mention] | None = None,
                       organisations: frozenset[str] = frozenset()) -> list[Mention]:
        """Registry companies (exact, then fuzzy) and proposed unknown organisations: those plain
        from their suffix or the words around them, and the ``organisations`` the rest of the
        document showed to be ones (find_organisations).

        Agencies (found here unless given) are never taken for companies.
        """
        mentions = [self._company_mention(m) for m in self._company_pattern.finditer(text)]
        mentions = [m for m in mentions if m]
        agencies = find_agencies(text) if agencies is None else agencies
        taken = [(m.start, m.end) for m in mentions] + [(a.start, a.end) for a in agencies]
        for span in _name_spans(text):
            if _overlaps(span.start(), span.end(), taken):
                continue
            found = (None if self._opens_like_a_word(text, span) else self._fuzzy(span)) or \
                _proposed(text, span, organisations)
            if found:
                mentions.append(found)
                taken.append((found.start, found.end))
        return sorted(mentions, key=lambda m: m.start)

    def find_organisations(self, text: str) -> frozenset[str]:
        """Names a document shows, somewhere, to be organisations the registry does not know, so
        that its other sentences ("Trafalgar has purchased a site ... This is scheduled for
        completion in 2026") know them too."""
        agencies = [(a.start, a.end) for a in find_agencies(text)]
        within_a_sentence = [span for span in _name_spans(text) if not _SENTENCE_END.search(span.group())]
        return frozenset(span.group().rstrip(" .") for span in within_a_sentence
                         if not _overlaps(span.start(), span.end(), agencies) and _acts_as_organisation(text, span))

    def _opens_like_a_word(self, text: str, span: re.Match) -> bool:
        """One capitalised word opening a sentence is as likely a common word ("Work is ongoing",
        "Less than a week"): only a word of a registry name ("Mkango signed") or a long one
        ("Vacuumschmeltze") is matched there."""
        word = span.group().strip(" .")
        if " " in word or text[:span.start()].strip(" “\"‘'("):
            return False
        known = word.lower() in self._distinctive_vocabulary_set
        return word.lower() in COMMON_WORDS or not (known or len(word) >= 8)

    def _company_mention(self, match: re.Match) -> Mention | None:
        name = match.group()
        company_id = self.company_names.get(name) or self.company_names.get(name.lower())
        if company_id is None:
            return None
        record = self.companies[company_id]
        return Mention(name, match.start(), match.end(), record["name"], company_id,
                       record.get("country"))

    def _fuzzy(self, span: re.Match) -> Mention | None:
        text = span.group().strip(" .")
        words = _distinctive_words(text)
        if len(text) < 4 or not words or not self._may_share_a_word(words):
            return None
        best = process.extractOne(text, self._fuzzy_choices, scorer=fuzz.WRatio,
                                  processor=utils.default_process, score_cutoff=FUZZY_THRESHOLD)
        if best is None:
            return None
        choice, score, _ = best
        if not _shares_distinctive_word(text, choice):
            return None
        company_id = self.company_names[choice]
        record = self.companies[company_id]
        return Mention(span.group(), span.start(), span.end(), record["name"], company_id,
                       record.get("country"), score=score)

    def _may_share_a_word(self, words: list[str]) -> bool:
        """Whether any registry name has a word like one of these: a fuzzy match must share one,
        and this check costs far less than scoring every name."""
        return any(process.extractOne(w, self._distinctive_vocabulary, scorer=fuzz.ratio,
                                      score_cutoff=85) for w in words)

    def parent(self, company_id: str) -> dict | None:
        """The parent company record (e-VAC -> Vacuumschmelze), or None."""
        parent_id = self.companies.get(company_id, {}).get("parent_id")
        return self.companies.get(parent_id) if parent_id else None

    # -- facilities --------------------------------------------------------------------------
    def find_facilities(self, text: str) -> list[Mention]:
        """Registry facilities named in text; an ambiguous site name gives one mention per site."""
        mentions = []
        for match in self._facility_pattern.finditer(text):
            for facility_id in self.facility_names[match.group()]:
                record = self.facilities[facility_id]
                mentions.append(Mention(match.group(), match.start(), match.end(), match.group(),
                                        facility_id, record.get("country")))
        return mentions

    # -- countries ---------------------------------------------------------------------------
    def find_countries(self, text: str) -> list[Mention]:
        """Countries, demonyms, capitals and states, each resolved to an ISO alpha-2 code."""
        mentions = []
        for match in self._country_pattern.finditer(text):
            code = self.country_names[match.group()]
            mentions.append(Mention(match.group(), match.start(), match.end(), code, code, code))
        return mentions


def _name_spans(text: str) -> list[re.Match]:
    """Capitalised runs, less leading words that say where or what ('Texas-based', 'Startup')."""
    spans = []
    for match in _CAPITALISED_NAME.finditer(text):
        # a legal name may open with a country word ("American Rare Earth LLC")
        legal = match.group().rstrip(".").endswith(LEGAL_SUFFIXES)
        while match and _is_leading_non_name(match.group().split()[0], legal):
            skip = len(match.group().split()[0])
            rest = re.match(r"\s+", text[match.start() + skip:])
            match = (_CAPITALISED_NAME.match(text, match.start() + skip + rest.end())
                     if rest else None)
        if match:
            spans.append(match)
    return spans


def _is_leading_non_name(word: str, legal_name: bool) -> bool:
    return (word.endswith("-based") or word.lower() in LEADING_NON_NAMES
            or (word in _country_names() and not legal_name))


def find_agencies(text: str) -> list[Mention]:
    """Government bodies and programmes, named canonically ('DoD', 'DOE', 'EXIM', ...)."""
    found = []
    for match in _AGENCY_PATTERN.finditer(text):
        name = AGENCIES[int(match.lastgroup[1:])][1]
        found.append(Mention(match.group(), match.start(), match.end(), name or match.group()))
    return found


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer built from the shipped registry (built once per process)."""
    from magchain.dataset import shipped_bundle

    bundle = shipped_bundle()
    return build_gazetteer(bundle.records["companies"], bundle.records["facilities"])


def build_gazetteer(companies: list[dict], facilities: list[dict]) -> Gazetteer:
    company_records = {c["id"]: c for c in companies}
    return Gazetteer(
        companies=company_records,
        facilities={f["id"]: f for f in facilities},
        company_names=_company_names(companies),
        facility_names=_facility_names(facilities, companies),
        country_names=_country_names(),
    )


def _company_names(companies: list[dict]) -> dict[str, str]:
    """Name or alias -> company id. Short aliases ('MP', 'VAC') only match in their own case."""
    names: dict[str, str] = {}
    for company in companies:
        aliases = [a.strip() for a in (company.get("aliases") or "").split(";") if a.strip()]
        for name in [company["name"], *aliases]:
            if "/" in name:  # joint-venture labels are descriptions, not names in text
                continue
            names[name if len(name) <= 4 else name.lower()] = company["id"]
    return names


def _facility_names(facilities: list[dict], companies: list[dict]) -> dict[str, list[str]]:
    """Site name -> facility ids: the capitalised words of the registry name ('Sumter')."""
    countries = set(_country_names())
    company_words = {
        c["id"]: set(" ".join([c["name"], c.get("aliases") or ""]).replace(";", " ").split())
        for c in companies}
    names: dict[str, list[str]] = {}
    for facility in facilities:
        owner_words = company_words.get(facility.get("company_id"), set())
        for site in _site_names(facility["name"]):
            # a state or country in the name says where the site is, not what it is called
            if site in countries or owner_words & set(site.split()):
                continue
            names.setdefault(site, []).append(facility["id"])
    return names


def _site_names(name: str) -> list[str]:
    """Runs of capitalised words in a registry facility name, less the descriptive ones."""
    descriptive = {"Rare", "Earth", "Earths", "Heavy", "Permanent", "Magnet", "Division",
                   "Processing", "Facility", "Port", "Stage", "HQ", "JV", "Phase", "III", "II",
                   "REE", "NdFeB", "Module", "Plant", "EV", "TBD", "RE"}
    sites = []
    for run in re.findall(r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*", name):
        words = [w for w in run.split() if w not in descriptive]
        if words and len(" ".join(words)) > 3:
            sites.append(" ".join(words))
    return sites


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    with resources.files("magchain").joinpath("data/iso3166.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if "," not in row["name"]:
                names[row["name"]] = row["code"]
    for code, variants in COUNTRY_VARIANTS.items():
        for variant in variants:
            names[variant] = code
    for state in US_STATES:
        names.setdefault(state, "US")
    return names


def _alternation(names, case_sensitive: bool = False) -> re.Pattern:
    """One regex matching any of the names as whole words, longest first.

    Lower-case names match in any case. The names are grouped by their first letter, each group
    behind a one-character lookahead, so a position is tried against one group and not every
    name; at a position only one group can match, so the longest name still wins."""
    if not names:
        return re.compile(r"(?!x)x")
    groups: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        body = re.escape(name)
        if not case_sensitive and name == name.lower():
            body = f"(?i:{body})"
        groups.setdefault(name[0].lower(), []).append(body)
    alternatives = (f"(?i:(?={re.escape(first)})){'|'.join(bodies)}" if len(bodies) == 1
                    else f"(?i:(?={re.escape(first)}))(?:{'|'.join(bodies)})"
                    for first, bodies in groups.items())
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-]|\.\w)")


def _distinctive_words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s-]+", name.lower())
            if w.strip(".,") not in GENERIC_NAME_WORDS and w not in _lower_country_names()]


@lru_cache(maxsize=1)
def _lower_country_names() -> frozenset[str]:
    return frozenset(n.lower() for n in _country_names())


def _shares_distinctive_word(text: str, choice: str) -> bool:
    ours = _distinctive_words(text)
    theirs = _distinctive_words(choice)
    return any(fuzz.ratio(a, b) >= 85 for a in ours for b in theirs)


def _proposed(text: str, span: re.Match, organisations: frozenset[str] = frozenset()) -> Mention | None:
    """An unknown name that is plainly an organisation, here or elsewhere in its document."""
    name = span.group().rstrip(" .")
    if name in organisations or _is_organisation(text, span):
        return Mention(name, span.start(), span.start() + len(name), name, proposed=True)
    return None


def _is_organisation(text: str, span: re.Match) -> bool:
    """By its suffix or the word before it."""
    name = span.group().rstrip(" .")
    after_cue = bool(ORGANISATION_CUES.search(text[max(0, span.start() - 30):span.start()]))
    # one capitalised word ("Materials") is too weak without a cue word before it
    by_suffix = " " in name and name.endswith(ORGANISATION_SUFFIXES)
    return after_cue or by_suffix


def _acts_as_organisation(text: str, span: re.Match) -> bool:
    """As _is_organisation, or by what it is or does just after it, when it is a proper name."""
    name = span.group().rstrip(" .")
    end = span.start() + len(name)
    acts = (ORGANISATION_ROLE_AFTER.match(text, end) or ORGANISATION_ACT_AFTER.match(text, end)
            or ORGANISATION_APPOSITIVE_AFTER.match(text, end))
    intends = " " in name and " of " not in name and ORGANISATION_INTENT_AFTER.match(text, end)
    return _is_organisation(text, span) or bool((acts or intends) and _is_proper_name(text, name))


def _is_proper_name(text: str, name: str) -> bool:
    """A name of several words, or one word capitalised somewhere other than at the start of a
    sentence or line ("Producers have raised" is a common noun)."""
    if " " in name:
        return True
    return any(not re.search(r"(?:^|[.!?:]\s+|\n\s*|[“\"]\s*)$", text[max(0, m.start() - 4):m.start()])
               for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text))


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)
