"""The language of the field: cue patterns that say what kind of fact a clause states.

Each pattern is written for how the trade press phrases a kind of fact, not for any one
document. Patterns are compiled case-insensitively unless they need a capital letter.
"""

from __future__ import annotations

import re


def _cue(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_WORDS = r"(?:[\w’'-]+\s+)"

FUTURE = _cue(r"\b(?:will|would|plans?|planned|planning|expects?|expected|aims?|aiming|"
              r"targets?|targeting|scheduled|set to|slated|to be|intends?|projected|forecast|"
              r"proposed|could|due to)\b")
ANAPHOR = _cue(r"\b(?:the (?:company|firm|group|plant|facility|project|mine|factory|site|"
               r"partnership|venture|producer)|it|its)\b")

# -- quantities -------------------------------------------------------------------------------
SHARE_OF_NOUN = _cue(r"^\s*of\s+(?:the\s+)?" + _WORDS + r"{0,6}?(?P<noun>production|output|"
                     r"capacity|demand|consumption|supply|exports|imports|shipments|market)\b")
SHARE_IN_CLAUSE = _cue(r"\bshare of\s+" + _WORDS + r"{0,5}?(?P<noun>production|output|"
                       r"capacity|demand|consumption|supply|imports|exports|market)\b")
RECYCLE_BEFORE = _cue(r"\brecycl\w*\s+(?:\w+\s+){0,2}$")
SHARE_VERB_BEFORE = _cue(r"\b(?:produces|produced|mines|mined|makes|manufactures|"
                         r"accounts? for|accounted for)\s+(?:\w+\s+){0,2}$")
WORLD = _cue(r"\b(?:global|world|worldwide)\b")
SHARE_NOUN_KIND = {
    "production": "production", "output": "production", "market": "production",
    "capacity": "capacity", "demand": "demand_forecast", "consumption": "demand_forecast",
    "supply": "trade_flow", "exports": "trade_flow", "imports": "trade_flow",
    "shipments": "trade_flow",
}
TRADE_NOUN = _cue(r"\b(?:exports?|imports?|shipments?|exported|imported|shipped)\b")
TRADE_CHANGE = _cue(r"\b(?:fell|falls?|dropped|drops?|declined?|declines|plunged?|slumped?|"
                    r"rose|rises?|surged?|jumped?|increased?|decreased?|cut|cuts|slashed?|"
                    r"grew|grows?|climbed?|tumbled?|reduc\w+|soared?|down|up|halved|doubled|expand\w*|"
                    r"boost\w*|rais\w*|lift\w*)\b")
DEMAND = _cue(r"\b(?:demand|consumption|requirements?)\b")
DEMAND_OUTLOOK = _cue(r"\b(?:forecast|projected|expected|estimated|predicted|anticipated|set|"
                      r"poised|likely|will|could|CAGR|compound annual|to (?:rise|grow|increase|"
                      r"double|triple|reach|climb))\b")
CAPACITY = _cue(r"capacit|nameplate|\bscale[ds]? up\b|\bscaling up\b|\bramp[- ]?up\b|"
                r"\bexpand|\bexpansion|\bannual (?:production|output)\b|\bproduction (?:target|"
                r"goal)\b|\btarget\b|\bwill (?:initially )?produce\b|\bto produce\b|"
                r"\bdesigned to\b|\bincrease (?:\w+ ){0,4}production to\b")
PAST_PRODUCTION = _cue(r"\b(?:produced|mined|sold|output (?:was|reached|totall?ed|rose|fell|hit)"
                       r"|production (?:was|reached|totall?ed|rose|fell|hit|came in))\b")
PRODUCTION = _cue(r"\b(?:produc\w*|output|mined|mine production)\b")
OUTPUT_AFTER = _cue(r"^[\s-]*(?:of\s+\w+\s+)?(?P<noun>output|production|capacity)\b")
STOCKPILE = _cue(r"\bstockpil\w*|\bstrategic (?:mineral |metal )?reserves?\b|"
                 r"\b(?:build|building|strengthen\w*|replenish\w*|expand\w*|establish\w*)\s+"
                 r"(?:up\s+)?" + _WORDS + r"{0,3}reserves?\b|\bcommercial buffer\b")
PRICE_FLOOR = _cue(r"\bprice floors?\b|\bfloor prices?\b|\bminimum prices?\b|\bprice support\b")
NOT_FUNDING_AMOUNT = _cue(r"^\s*(?:in\s+)?(?:annual\s+)?(?:revenue|sales\b(?!\s+incentive)|market|"
                          r"valuation|profit|loss|turnover)")

# -- funding ----------------------------------------------------------------------------------
FUNDING = _cue(r"\b(?:grants?|granted|loans?|award(?:s|ed)?|invest(?:s|ed|ing|ment|ments)?|"
               r"fund(?:s|ed|ing)|financ(?:e|ed|ing)|tax credits?|equity|subsid(?:y|ies|ised|"
               r"ized)|incentives?|backing|backed by|Title III|Defense Production Act)\b")
MONEY_VERBS = _cue(r"\b(?:received|receives?|secured|obtained|raised|provided|committed|"
                   r"allocated|approved)\b")
NOT_FUNDING = _cue(r"\b(?:whether|explore|exploring|considering|must|use (?:the )?(?:funds|"
                   r"proceeds)|proceeds will|training|workforce|apprenticeship)\b")
RESEARCH = _cue(r"\bresearch\b")
FUNDING_WINDOW = 100  # characters between a funding word and the agency or recipient it names

# -- events -----------------------------------------------------------------------------------
FACILITY_NOUN = _cue(r"\b(?:plant|factory|factories|facility|facilities|mine|mines|refinery|"
                     r"refineries|smelter|project|deposit|line|complex|mill|hub|campus|site)s?\b")
_PRODUCTION_START = r"(?:commercial\s+|full-scale\s+|full\s+|initial\s+|trial\s+|first\s+)?" \
                    r"(?:production|operations|sales|output|manufacturing|shipments)\b"
# (pattern, status, needs a plant/mine/project word in the clause)
PLANT_STATUS = [
    (_cue(r"\b(?:broke|breaks|break|breaking) ground\b|\bground-?breaking\b"),
     "under_construction", False),
    (_cue(r"\b(?:shipped|delivered|dispatched)\s+(?:its\s+|the\s+|a\s+)?first\b"),
     "operating", False),
    (_cue(r"\b(?:expects?|expected|plans?|aims?|set|scheduled|due|on track|will)\s+(?:to\s+)?"
          r"(?:deliver|ship|send)\s+(?:its\s+|the\s+)?first\b"), "planned", False),
    (_cue(r"\b(?:began|begun|begins|started|starts|commenced|commences|launched|kicked off|"
          r"entered)\s+" + _PRODUCTION_START), "operating", False),
    (_cue(r"\b(?:scheduled|expected|set|slated|due|plans?|planning|aims?|poised|on track|"
          r"intends?|targets?|will)\s+(?:to\s+)?(?:begin|start|commence|achieve|reach|launch|"
          r"enter)\s+" + _PRODUCTION_START), "planned", False),
    (_cue(r"\b(?:will|to|would|should)\s+be\s+(?:\w+ly\s+)?commissioned\b"), "planned", False),
    (_cue(r"\bcommissioned\b"), "operating", False),
    (_cue(r"\bcommissioning\b"), "commissioning", False),
    (_cue(r"\b(?:delayed|postponed|pushed back|deferred|behind schedule)\b"), "delayed", True),
    (_cue(r"\b(?:closed|shut down|shuttered|idled|care and maintenance|(?:halted|suspended|"
          r"ceased) (?:production|operations))\b"), "closed", True),
    (_cue(r"\b(?:is|are|was|were|been|being)\s+(?:\w+ly\s+|also\s+|now\s+|still\s+)*"
          r"(?:building|constructing)\b|\bunder construction\b|\b(?:began|begun|started|"
          r"commenced)\s+construction\b|\bconstruction (?:began|started|has begun|is underway)\b"),
     "under_construction", True),
    (_cue(r"\b(?:announced|unveiled|revealed|outlined)\s+(?:plans?|intentions?)\s+to\s+"
          r"(?:build|construct|establish|set up|open|develop)\b"), "announced", True),
    (_cue(r"\b(?:plans?|planning|intends?|aims?)\s+to\s+(?:build|construct|set up|open)\b|"
          r"\bwill (?:build|construct|open)\b"), "planned", True),
    (_cue(r"\b(?:opened|inaugurated)\b"), "operating", True),
]

OFFTAKE = _cue(r"\boff-?take\b|\bsupply (?:agreement|deal|contract|pact|arrangement)s?\b|"
               r"\b(?:purchase|sales) agreements?\b|\b(?:signed|inked|struck|entered into|"
               r"secured|won)\s+" + _WORDS + r"{0,3}(?:contracts?|agreements?|deals?)\s+with\b|"
               r"\bsourc(?:es|e|ing)\s+" + _WORDS + r"{0,3}from\b|\bagreed to (?:buy|purchase)\b|"
               r"\b(?:deal|agreement|contract)\s+to\s+(?:buy|purchase|supply)\b")
OFFTAKE_SELLER_AFTER = _cue(r"\b(?:purchase|buy|procure)\s+(?:all\s+|the entire\s+)?(?:of\s+)?"
                            r"(?:the\s+)?" + _WORDS + r"{0,4}(?:produced|made)\s+(?:by|at)\s+$|"
                            r"\bsourc(?:es|e|ing)\s+" + _WORDS + r"{0,3}from\s+$")
OFFTAKE_TO_BUYER = re.compile(r"\b(?:[Dd]eliver|[Ss]upply|[Ss]hip|[Ss]ell)\w*\s+" + _WORDS +
                              r"{0,5}to\s+[A-Z]")
OFFTAKE_PURCHASE = _cue(r"\b(?:purchase|buy|procure)\s+(?:all\s+|the entire\s+)?(?:of\s+)?"
                        r"(?:the\s+)?" + _WORDS + r"{0,4}(?:produced|made)\s+(?:by|at)\b")
OFFTAKE_PARTNER = _cue(r"\b(?:collaborat\w*|partner(?:ship|ing|ed|s)?)\s+with\b")
SUPPLIER_AFTER_WITH = _cue(r"\bwith\s+(?P<partner>.{2,60}?)\s+to\s+supply\b")

EXPORT_CONTROL = _cue(
    r"\bexport (?:controls?|restrictions?|curbs?|bans?|licen[cs]es?|licensing|permits?|quotas?|"
    r"embargo)\b|\b(?:restrict\w*|ban|bans|banned|banning|halt\w*|curb\w*|suspend\w*|block\w*|"
    r"limit\w*)\s+" + _WORDS + r"{0,4}exports?\b|\blicens\w+\s+" + _WORDS + r"{0,3}exports?\b|"
    r"\bcontrol\s+(?:over|on)\s+" + _WORDS + r"{0,3}exports?\b|\brare[- ]earths? control"
    r"(?:s|\s+measures)\b|\bpermits? for exports?\b|\b(?:tighten\w*|expand\w*|impos\w*|"
    r"introduc\w*|extend\w*|lift\w*|eas\w*|suspend\w*)\s+" + _WORDS + r"{0,2}controls?\s+"
    r"(?:on|over)\b")
EXPORT_CONTROL_ANAPHOR = _cue(r"\b(?:these|the|such|those) controls\b")

RECYCLING = _cue(
    r"(?<!water )\brecycling\s+(?:plant|facility|facilities|centre|center|hub|capacity|"
    r"operations?|line|business|project|process)\b|\brecycl(?:ing|ed|es)\s+(?:of\s+)?"
    + _WORDS + r"{0,3}(?:magnets?|rare earths?|e-waste|electronic waste|scrap|batter\w+|swarf|"
    r"end-of-life)|\b(?:magnet|rare earth|e-waste|scrap|battery)\s+recycl\w+|"
    r"\b(?:will|aims? to|plans? to|targets?|intends? to)\s+recycle\b|"
    r"\b(?:recover\w*|reprocess\w*|extract\w*)\s+" + _WORDS + r"{0,4}(?:from|of)\s+" + _WORDS
    + r"{0,2}(?:e-waste|electronic waste|scrap|end-of-life|magnets)\b|\b(?:recovery|"
    r"reprocessing)\s+(?:and\s+\w+\s+)?of\s+" + _WORDS + r"{0,3}magnets\b")

HEDGED_LIST_SUBJECT = _cue(r"\b(?:companies|firms|producers|manufacturers)\s+(?:like|such as|"
                           r"including)\b")
CLAUSE_BREAK = re.compile(r",\s+while\s+|;\s+|,\s+whereas\s+|,\s+but\s+(?!also\b)")

MATERIALS = [
    (r"NdPr oxide|neodymium[- ]praseodymium oxide|Pr-?Nd oxide|praseodymium-neodymium oxide",
     "NdPr oxide"),
    (r"NdPr metal|neodymium[- ]praseodymium metal", "NdPr metal"),
    (r"dysprosium oxide|Dy oxide|Dy2O3", "Dy oxide"),
    (r"terbium oxide|Tb oxide|Tb4O7", "Tb oxide"),
    (r"dysprosium and terbium|terbium and dysprosium|Dy/Tb|Dy-Tb|Dy\+Tb", "Dy+Tb"),
    (r"neodymium and praseodymium|praseodymium and neodymium|NdPr|Nd-Pr", "NdPr"),
    (r"(?:total )?rare earth oxides?|\bT?REO\b", "rare earth oxide"),
    (r"heavy rare earths?(?: elements?)?|\bHREEs?\b", "heavy rare earths"),
    ((r"(?:rare[- ]earth |neodymium |NdFeB |permanent |sintered )+magnets?|NdFeB|magnet materials?"
     r"|\bmagnets\b"), "NdFeB magnet"),
    (r"rare earth metals?", "rare earth metal"),
    (r"rare[- ]earths?(?: elements?)?|\bREEs?\b", "rare earths"),
]
MATERIAL_PATTERNS = [(re.compile(p, re.IGNORECASE), name) for p, name in MATERIALS]
STAGE_OF_MATERIAL = {
    "NdPr oxide": "separation", "Dy oxide": "separation", "Tb oxide": "separation",
    "NdPr metal": "metal", "NdFeB magnet": "magnet", "rare earth metal": None,
    "rare earth oxide": "mine",
}
STAGE_WORDS = [
    (_cue(r"\brecycl"), "recycling"),
    (_cue(r"\bmagnets?\b|NdFeB"), "magnet"),
    (_cue(r"\balloy"), "alloy"),
    (_cue(r"\bmetal(?:lization|lisation)?\b"), "metal"),
    (_cue(r"\bseparation|\brefin|\bprocessing\b|\boxides?\b"), "separation"),
    (_cue(r"\bmines?\b|\bmining\b|\bdeposit\b|\bore\b|\bconcentrate\b|\bclay\b"), "mine"),
]
