"""The language of the field: cue patterns that say what kind of fact a clause states.

Each pattern is written for how the trade press phrases a kind of fact, not for any one
document. Patterns are compiled case-insensitively unless they need a capital letter.
"""

from __future__ import annotations

import re

from magchain.ingest.guards import guarded


def _cue(pattern: str) -> re.Pattern:
    return guarded(pattern, re.IGNORECASE)


_WORDS = r"(?:[\w’'-]+\s+)"

FUTURE = _cue(r"\b(?:will|would|plans?|planned|planning|expects?|expected|aims?|aiming|"
              r"targets?|targeting|scheduled|set to|slated|to be|intends?|projected|forecast|"
              r"proposed|could|due to)\b")
# the base of a comparison ("rose 2% against 2022 to 34,147t in 2024", "up 12,000 mt from 2018",
# "about half the quota set for 2018"): its date is not the date of the figure
COMPARED_WITH = _cue(r"\b(?:against|versus|vs\.?|compared (?:with|to)|than|(?:up|down|higher|lower|rise|"
                     r"rose|fell|increase|decrease|boost|jump|drop|gain|decline)\w*\s+(?:by\s+)?"
                     r"(?:[\w.,%]+\s+){0,3}?(?:from|on|over)(?:\s+[\d.,]+\s*[a-z/]+\s+in)?|"
                     r"(?:quota|level|figure|total)s?\s+(?:set\s+)?"
                     r"(?:for|in|of))\s+(?:the\s+)?(?:same\s+\w+\s+(?:in|of)\s+)?$")
# what runs now, against FUTURE's plans
# Words just before a date that make it the date a plant starts or a goal falls due, not the date
# of the deal in the same sentence ("backed by €110 million ... to begin operations by late 2026").
DATE_OF_ANOTHER_EVENT = _cue(r"(?:\b(?:production|operations|output|commissioning|online|operational)\b[^,;.]{0,25}"
                             r"|\b(?:begin|start|commence)\w*\s+(?:\w+\s+){0,2}?(?:in|by|from)\s+"
                             r"|\bby\s+(?:late\s+|early\s+|mid-?\s*)?)$")
# "co-founded in 2011 by", "established in 1998": a company's history dates no fact
FOUNDING_DATE = _cue(r"\b(?:co-?)?(?:founded|established|incorporated|formed|set up)\s+in\s+$")
CURRENT = _cue(r"\b(?:currently|at present|presently|existing|now|today|is capable|are capable|operates|"
               r"operating|in operation|has (?:a|the) (?:capacity|ability)|produces|runs)\b")
# a capacity already grown or built ("Zhongke Sanhuan increased its sintered NdFeB capacity to
# 25,000 t/yr", "commissioned the 15-tonne-per-annum Nd-Pr metal facility")
BUILT = _cue(r"\b(?:increased|expanded|raised|doubled|tripled|lifted|boosted)\s+(?:its|their)\b|"
             r"\b(?:commissioned|inaugurated)\b")
# a capacity said to run now, though its sentence looks ahead ("would add to an existing capacity
# of 23.75 ktpy", "is ready to produce 10 t a month", "can process ... and produce up to 300 t")
RUNNING_BEFORE = _cue(r"\b(?:existing|current|currently|ready to|can(?!\s+be\s+(?:ramped|expanded|increased|"
                      r"scaled|raised|lifted))|is able to|already|starts with|capability of|capable of)\b[^.;]{0,60}$")
# a company's own price, not the market's: what it lists or what it sold at
LISTED_PRICES = _cue(r"\blist(?:ed|ing)\s+prices?\b")
OWN_PRICE = _cue(r"\blist(?:ed|ing)\s+prices?\b|\baverage\s+(?:sales|selling|realised|realized)\s+prices?\b|"
                 r"\b(?:sold|sales)\b[^.;]{0,40}?\bat\s+an?\s+average\s+(?:sales\s+|selling\s+)?price\b")
# a line of a price list: "Praseodymium Neodymium oxide was reported at 495000 yuan/ton"
LISTED_LINE = _cue(r"\breported\s+(?:at\s+|a\s+price\s+of\s+)?\d")
# a capacity said to run now after its figure ("up from 35,000 t/yr today")
RUNNING_AFTER = _cue(r"^[\s\w/.]{0,20}?\b(?:today|now|currently|at present)\b")
# output still to come: guidance, forecasts and goals ("expects NdPr production to be 1,500 t")
OUTPUT_OUTLOOK = _cue(r"\b(?:expects?|expected|expecting|guidance|aims?|aiming)\b")
# a figure for an industry or a region, not for one company's plant
AGGREGATE = _cue(r"\b(?:total|global|world|worldwide|combined|companies|facilities|industry|non-Chinese|"
                 r"country|country's|nation|nation's|national)\b")
# "e-VAC, part of the VAC Group, plans ...", "SGI, which supplies VinFast, is investing ...": the
# companies named inside the aside are not the subject
APPOSITIVE = _cue(r"\s*(?:\([^)]{1,40}\)\s*)?,\s+(?:which|who|that|part of|a|an|one of|the parent|"
                  r"itself)\b[^,]*(?:,[^,]*?\b(?:and|or)\b[^,]*)?,")
ANAPHOR = _cue(r"\b(?:the (?:company|firm|group|plant|facility|project|mine|factory|site|"
               r"partnership|venture|producer)|it|its)\b")

# money for what the article is about: "the $82 million investment", "this project is backed by"
FUNDED_BY_REFERENCE = _cue(r"\b(?:the|this|its)\s+(?:[\w$€£.,-]+\s+){0,4}?(?:investment|project|expansion|"
                           r"plant|facility|factory)\b|\bthis includes\b")

# the company a sentence is about, named only by reference
COMPANY_ANAPHOR = _cue(r"\bthe (?:company|firm|group|miner|producer)\b")

# -- quantities -------------------------------------------------------------------------------
# a step of the chain is production unless it is the step's capacity ("of refining capacity")
_STEP_NOUN = r"(?:refining|processing|separation|smelting)(?![\w\s-]{0,20}capacit)"
SHARE_OF_NOUN = _cue(r"^\s*of\s+(?:the\s+)?" + _WORDS + r"{0,6}?(?P<noun>production|output|mining|"
                     + _STEP_NOUN + r"|capacity|demand|consumption|supply chain|supply|exports|imports|"
                     r"shipments|market)\b")
SHARE_IN_CLAUSE = _cue(r"\bshare of\s+" + _WORDS + r"{0,5}?(?P<noun>production|output|"
                       r"capacity|demand|consumption|supply|imports|exports|market)\b")
# "recycling rate of 25%", but not the next share of a list: "25% recycled and 40% processed"
RECYCLE_BEFORE = _cue(r"(?<!% )(?<!percent )\brecycl\w*\s+(?:\w+\s+){0,2}$")
# "20% from recycling", "25% recycled": the share of a need met from scrap
RECYCLE_AFTER = _cue(r"^\s*(?:(?:from|through|via|by)\s+)?recycl")
# a goal for the share of a region's needs its own mines, plants or recyclers meet: "to extract 10%,
# process 40% and recycle 25% of its annual consumption", "10% of needs mined, 25% recycled"
NEEDS = _cue(r"\b(?:demand|needs|requirements?|consumption)\b")
SUPPLY_STEPS = [
    (_cue(r"\b(?:mine|mined|mining|extract\w*)\b"), "mine"),
    (_cue(r"\b(?:process|processed|processing|refine|refined|refining)\b"), "separation"),
    (_cue(r"\brecycl\w*"), "recycling"),
    (_cue(r"\b(?:produce|produced|domestically|supply|supplies|supplying)\b"), None),
]
SHARE_VERB_BEFORE = _cue(r"\b(?:produces|produced|producing|mines|mined|makes|manufactures|"
                         r"accounts? for|accounted for|accounting for)\s+(?:\w+\s+){0,2}$")
WORLD = _cue(r"\b(?:global|world|worldwide)\b")
SHARE_NOUN_KIND = {
    "production": "production", "output": "production", "market": "production",
    "mining": "production", "refining": "production", "processing": "production",
    "separation": "production", "smelting": "production", "supply chain": "production",
    "capacity": "capacity", "demand": "demand_forecast", "consumption": "demand_forecast",
    "supply": "trade_flow", "exports": "trade_flow", "imports": "trade_flow",
    "shipments": "trade_flow",
}
TRADE_NOUN = _cue(r"\b(?:exports?|imports?|shipments?|exported|imported|shipped)\b")
TRADE_CHANGE = _cue(r"\b(?:fell|falls?|dropped|drops?|declined?|declines|plunged?|slumped?|"
                    r"rose|rises?|surged?|jumped?|increased?|decreased?|cut|cuts|slashed?|"
                    r"grew|grows?|climbed?|tumbled?|reduc\w+|soared?|down|up|halved|doubled|expand\w*|"
                    r"boost\w*|rais\w*|lift\w*)\b")
HIGHER_LOWER = _cue(r"\b(?:higher|lower)\b")
# "Metallic neodymium has surged 50%": an element or its oxide or metal as the subject of a change
PRICED_MATERIAL_SUBJECT = _cue(  # not "Production of NdPr jumped 19%", a measure of the material
    r"^\W*(?!(?:production|output|exports?|imports?|sales|shipments|supply|demand|consumption)\b)"
    r"(?:[\w-]+\s+){0,2}?(?:neodymium|praseodymium|dysprosium|terbium|NdPr|samarium|"
    r"lanthanum|cerium|yttrium|gadolinium|holmium)(?:\s+(?:oxide|metal|carbonate))?\s+"
    r"(?:(?:has|have|had|also|prices?)\s+){0,3}" + TRADE_CHANGE.pattern)
PRICE_NOUN = _cue(r"(?<!share )(?<!stock )\bprices?\b(?!\s+(?:floors?|targets?))")
# "China's rare earth exports fell 18% to 3,400 t": every volume in the clause is trade
# "outbound shipments from the largest exporter ... were 5,400 t": trade named as the measure
TRADE_MEASURE = _cue(r"\b(?:exports|imports|shipments|(?:export|import|shipment)\s+volumes?)\b")
# a volume that goes to a country, or that a country sells: trade ("353 tons of magnets were sold to
# the US", "Japan received 5,200 kilograms", "China sold 4,000 tonnes of rare earths in September")
TO_A_COUNTRY = _cue(r"\b(?:sent|shipped|exported|delivered|went|destined)\s+to\b|\bsold\b")
RECEIVED = _cue(r"\breceived\b")
TRADE_SUBJECT = _cue(r"^\W*(?:[\w’'-]+\s+){0,3}?(?:exports|imports|shipments)\b")
# a company's shares moving: "share prices rose 8%", "its shares fell 5%", "the stock jumped 12%"
EQUITY_MOVE = _cue(r"\b(?:share|stock)\s+prices?\b|\b(?:shares|stock)\s+(?:\w+\s+)?(?:rose|fell|jumped|"
                   r"climbed|dropped|slid|surged|gained|lost|tumbled|soared|rallied|sank|plunged)\b")
# a cap on exports, whose size or change is an export control (guide: quotas of exports)
EXPORT_QUOTA = _cue(r"\bexport\s+(?:quotas?|caps?)\b|\bquotas?\s+(?:for|on)\s+(?:\w+\s+){0,2}exports?\b")
# what was in fact exported, against the quota: "exports totaled 14,750 tonnes ... 49 percent of the quota"
ACTUAL_EXPORTS = _cue(r"\bexported\b|\bexports\s+(?:\w+\s+){0,2}(?:totall?ed|reached|were|stood|amounted|rose|fell)\b")
# "That was down 20% from a year earlier": a change to what the sentence before measured
BACK_REFERENCE_CHANGE = _cue(r"^\W*(?:that|this|it|the figure|the total)\s+(?:(?:was|is|were)\s+"
                             r"(?:\w+\s+)?(?:up|down|higher|lower)|compared?s?\s+(?:to|with))\b")
# an element's price moving, wherever it stands in the clause: "dysprosium had lost 30% of its
# value, terbium was down by 27%, and neodymium-praseodymium (NdPr) had fallen by 17%"
ELEMENT_CHANGE_BEFORE = _cue(  # "production of NdPr jumped" measures the element, not its price
    r"(?<!of )\b(?:neodymium|praseodymium|dysprosium|terbium|NdPr|DyTb|samarium|lanthanum|cerium|yttrium|"
    r"gadolinium|holmium)(?:\s+\([^)]{1,10}\))?(?:\s+(?:oxide|metal))?\s+(?:(?:has|have|had|is|was|were|"
    r"now|also)\s+){0,3}(?:lost|down|up|fell|fallen|rose|risen|dropped|gained|surged|soared|jumped|"
    r"climbed|declined|slumped|plunged|tumbled)\s+(?:by\s+)?(?:about\s+|nearly\s+|some\s+|around\s+)?$")
# a government mining or separation quota caps output, so it is stated as production
OUTPUT_QUOTA = _cue(r"\b(?:mining|production|output|smelting|separation|refining|extraction)"
                    r"\s+quotas?\b|(?<!export )(?<!exports )\bquotas?\b")
DEMAND = _cue(r"\b(?:demand|consumption|requirements?)\b")
DEMAND_OUTLOOK = _cue(r"\b(?:forecast|projected|expected|estimated|predicted|anticipated|set|"
                      r"poised|likely|will|could|CAGR|compound annual|to (?:rise|grow|increase|"
                      r"double|triple|reach|climb))\b")
CAPACITY = _cue(r"capacit|nameplate|\bscale[ds]? up\b|\bscaling up\b|\bramp[- ]?up\b|"
                r"\bexpand|\bexpansion|\bannual (?:production|output)\b|\bproduction (?:target|"
                r"goal)\b|\btarget\b|\bwill (?:initially )?(?:produce|process)\b|\bto produce\b|"
                r"\bdesigned to\b|\bincrease (?:\w+ ){0,4}production to\b")
PAST_PRODUCTION = _cue(r"\b(?:produced|mined|sold|output (?:was|reached|totall?ed|rose|fell|hit)"
                       r"|production (?:was|reached|totall?ed|rose|fell|hit|came in))\b")
# a league table of producers: "the biggest producers were China with 240,000 tons, the U.S. with ..."
PRODUCER_TABLE = _cue(r"\bproducers?\s+(?:were|are|was|is|include[sd]?)\b")
WITH_BEFORE = _cue(r"\bwith\s+(?:about\s+|around\s+|some\s+)?$")
# "the largest producer" names who makes it, not how much was made
PRODUCTION = _cue(r"\b(?:produc(?!ers?\b)\w*|output|mined|mine production)\b"
                  r"|\b(?:global|world|total|current)\s+(?:[\w-]+\s+){0,2}supply\b")
# "4,000 tonnes of oxide a year": the rate is written after the material
ANNUAL_AFTER = _cue(r"^\s+of\s+[^,;.]{1,50}?\s+(?:a|per|each|every)\s+year\b|^\s+of\s+[^,;.]{1,50}?"
                    r"\s+annually\b")
OUTPUT_AFTER = _cue(r"^[\s-]*(?:of\s+\w+\s+)?(?P<noun>output|production|capacity)\b")
STOCKPILE = _cue(r"\bstockpil\w*|\bstrategic (?:mineral |metal )?reserves?\b|"
                 r"\b(?:build|building|strengthen\w*|replenish\w*|expand\w*|establish\w*)\s+"
                 r"(?:up\s+)?" + _WORDS + r"{0,3}reserves?\b|\bcommercial buffer\b")
# ore heaped at a mine to feed a plant is feedstock, not a strategic stockpile
# "enough supply to last 100 days", "release within eight days": how long a reserve lasts
STOCK_COVER = _cue(r"\b(?:last|lasts|lasting|cover|covers|covering|release|released)\b")
FEED_STOCKPILE = _cue(r"\b(?:fed|feeds?|feeding|ore|tailings|run-of-mine)\b[^.;]{0,40}?\bstockpil"
                      r"|\bstockpiled?\s+(?:of\s+)?(?:ore|tailings|feed\w*|material)\b"
                      # a company's or a market's own stocks, not a strategic reserve
                      r"|\b(?:buyers?|traders?|consumers?|users?|manufacturers?)\b[^.;]{0,30}?\bstockpil"
                      r"|\bstockpiling\b[^.;]{0,40}?\b(?:in advance|ahead of|before)\b"
                      r"|\b(?:their|its) own\s+(?:\w+\s+){0,2}?stockpiles?\b|\bconvert\w*\s+(?:[\w’']+\s+){0,3}?stockpiles?\b")
PRICE_FLOOR = _cue(r"\bprice floors?\b|\bfloor prices?\b|\bminimum prices?\b|\bprice support\b|"
                  r"\bguarantee\w*\s+(?:(?:a|the|this|that|its)\s+)?(?:\w+\s+)?prices?\b")
NOT_FUNDING_AMOUNT = _cue(r"^\s*(?:in\s+)?(?:annual\s+)?(?:revenue|sales\b(?!\s+incentive)|market|"
                          r"valuation|profit|loss|turnover|cash\b)|^[^.;]{0,40}?\bto\s+(?:the\s+)?(?:country[’']s\s+)?"
                          r"(?:economy|GDP|gross domestic product)\b")
# a company's accounts, not money raised: "revenue to more than $400 million", "cash payments for
# capex amounted to A$71.3m"
ACCOUNTS_BEFORE = _cue(r"\b(?:revenues?|sales|cash payments|earnings|profits?|turnover)\b[^.;$€£]{0,40}$")

# a study's economics are an estimate, not money anyone has put up: "an after-tax NPV8 of $512
# million", "the DFS outlined an estimated CAPEX of US$277M"
_CAPEX = r"(?:capex|capital (?:costs?|expenditures?))\b"
STUDY_ECONOMICS = _cue(r"\b(?:NPV\d*|IRR|net present value|internal rate of return)\b|"
                       r"\b(?:stud(?:y|ies)|DFS|PFS|BFS|PEA)\b[^.;]{0,80}\b" + _CAPEX + "|"
                       r"\bestimated (?:initial |upfront |pre-production )?" + _CAPEX + "|"
                       r"\b" + _CAPEX + r" to first production\b")

# -- funding ----------------------------------------------------------------------------------
FUNDING = _cue(r"\b(?:grants?|granted|loans?|award(?:s|ed)?|invest(?:s|ed|ing|ment|ments)?|"
               r"fund(?:s|ed|ing)?|capital (?:costs?|expenditures?)|capex|(?:has|have|had) backed|financ(?:e|ed|ing)|tax credits?|equity|subsid(?:y|ies|ised|"
               r"ized)|incentives?|backing|backed by|Title III|Defense Production Act)\b")
MONEY_VERBS = _cue(r"\b(?:received|receives?|secured|obtained|raised|provided|committed|"
                   r"allocated|approved|contribut(?:e|es|ed|ing)|spend|spends|spending|spent|"
                   r"pledged?)\b")
NOT_FUNDING = _cue(r"\b(?:whether|explore|exploring|considering|must|use (?:the )?(?:funds|"
                   r"proceeds)|proceeds will|training|workforce|apprenticeship)\b")
RESEARCH = _cue(r"\bresearch\b")
# in an article on export controls, a licence's deadline or a suspension's length is the control's
CONTROL_TERM = _cue(r"\bexport (?:approvals?|licen[cs]es?|licensing)\b|\bsuspen(?:sion|ded|ds?)\b|\bdeadline\b")
# the value of a supply order is a sale, not money raised: "an order worth KRW 900 billion ... to supply"
SUPPLY_ORDER = _cue(r"\b(?:order|contract|deal)s?\s+(?:worth|valued at)\b|\bvalued at\b[^.;]{0,60}?\bto\b|"
                    r"\bcontract to supply\b")
SALE_WORDS = _cue(r"\b(?:supply|supplying|sell|selling|deliver|delivering|purchase|buy)\b")
FUNDING_WINDOW = 100  # characters between a funding word and the agency or recipient it names

# -- events -----------------------------------------------------------------------------------
# a user's plant stopped for want of magnets is no rare-earth plant closing: "plants have been shut
# down due to a shortage of rare earths", "we shut down plants because we cannot get magnets"
SHORTAGE_CAUSE = _cue(r"\b(?:due\s+to|because\s+of|owing\s+to|amid|for\s+(?:lack|want)\s+of)\s+(?:a\s+|the\s+)?"
                      r"(?:[\w-]+\s+){0,2}?(?:shortages?|scarcity|lack)\b|\bcan(?:not|'t|’t)\s+get\b")
# a site word, or a word that only a site can have ("construction", "capacity")
FACILITY_NOUN = _cue(r"\b(?:plant|factory|factories|facility|facilities|mine|mines|refinery|"
                     r"refineries|smelter|project|deposit|line|complex|mill|hub|campus|site)s?\b"
                     r"|\bconstruction\b|\bcapacity\b")
# "production", "commercial magnet production", "its operations", "producing"
_PRODUCTION_START = r"(?:its\s+|the\s+)?(?:commercial\s+|full-scale\s+|large-scale\s+|mass\s+|pilot\s+|full\s+|" \
                    r"initial\s+|trial\s+|first\s+)?(?:[\w-]+\s+){0,3}?(?:production|operations|sales|output|" \
                    r"manufacturing|shipments?)\b|producing\b"
_AT_SITE = r"(?:\s+(?:at|from|of)\s+[^,;.]{1,40}?)?"  # "first output at the X mine is due", "of Dy"
# (pattern, status, what else the clause needs: "site" a plant/mine/project word, "future" a
# future frame, None nothing)
PLANT_STATUS = [
    (_cue(r"\b(?:broke|broken|breaks|break|breaking) ground\b|\bground[- ]?breaking\b"),
     "under_construction", None),
    (_cue(r"\b(?:shipped|delivered|dispatched)\s+(?:its\s+|the\s+|a\s+)?first\b"),
     "operating", None),
    (_cue(r"\b(?:expects?|expected|plans?|aims?|set|scheduled|due|on track|will)\s+(?:to\s+)?"
          r"(?:deliver|ship|send)\s+(?:its\s+|the\s+)?first\b"), "planned", None),
    (_cue(r"\b(?:began|begun|begins|started|starts|commenced|commences|launched|kicked off|"
          r"entered|recommenced|resumed)\s+(?:" + _PRODUCTION_START + ")"), "operating", None),
    # "deliveries to GM began in July", "production started last year"
    (_cue(r"\b(?:deliveries|shipments|production|operations|output)\b[^.;,]{0,40}?\b(?:began|started|"
          r"commenced)\b"), "operating", None),
    (_cue(r"\b(?:scheduled|expected|set|slated|due|plans?|planning|aims?|poised|on track|"
          r"intends?|targets?|will)\s+(?:to\s+)?(?:be\s+able\s+to\s+)?(?:begin|start|commence|achieve|reach|"
          r"launch|enter)\s+(?:" + _PRODUCTION_START + ")|"
          # "the firm targets production by 2035", "targets initial production at the site by 2028"
          r"\btargets?\s+(?:initial\s+|first\s+|commercial\s+)?(?:production|output|operations)\b"),
     "planned", None),
    (_cue(r"\bon\s+track\s+for\s+(?:first\s+|initial\s+|commercial\s+)?(?:production|output|operations)\b"),
     "planned", None),
    # "first production is expected in 2026", "output is scheduled to start next year"
    (_cue(r"\bfirst\s+(?:" + _PRODUCTION_START + ")" + _AT_SITE + r"\s+(?:is\s+|are\s+)?(?:now\s+)?"
          r"(?:expected|scheduled|slated|due|targeted|planned|forecast)\b|\b(?:production|"
          r"operations|output)" + _AT_SITE + r"\s+(?:is|are)\s+(?:expected|scheduled|slated|due|"
          r"set|targeted)\s+to\s+(?:begin|start|commence)\b|\b(?:expects?|expecting|targets?|"
          r"targeting|anticipates?)\s+(?:the\s+)?first\s+(?:[\w-]+\s+)?(?:production|output|shipments?|"
          r"deliveries)\b"), "planned", None),
    # a bare infinitive after "construction" is a start still to come ("will begin")
    (_cue(r"\bconstruction\b[^.;,]{0,60}?\b(?:to|will)\s+(?:begin|start|commence)\b|"
          r"\b(?:will|to)\s+(?:begin|start|commence)\s+construction\b"), "planned", None),
    # progress on the build: "significant progress in constructing the plant", "early works well underway"
    (_cue(r"\bprogress\s+(?:in|on)\s+(?:constructing|building|the\s+construction\s+of)\b|"
          r"\b(?:early|site|construction)\s+works?\s+(?:programmes?\s+|programs?\s+)?(?:(?:is|are)\s+)?"
          r"(?:well\s+)?(?:underway|under way|progressing)\b"), "under_construction", None),
    # the build's end still to come: "anticipates completing plant construction by the end of 2025"
    (_cue(r"\b(?:anticipates?|expects?|plans?|aims?|targets?)\s+(?:to\s+complete|completing)\s+(?:the\s+)?"
          r"(?:[\w-]+\s+)?construction\b"), "planned", None),
    # "became Canada's first rare earth producer in April": it runs
    (_cue(r"\b(?:became|has become|have become)\s+(?:[\w’'-]+\s+){0,5}?(?:producer|supplier|manufacturer|maker)\b"),
     "operating", None),
    (_cue(r"\b(?:began|begun|started|commenced)\s+construction\b|\bconstruction\s+(?:of\s+(?:the\s+)?"
          r"(?:[\w-]+\s+){1,8}?)?(?:began|started|commenced|has begun|has started|is underway|is under way)\b"),
     "under_construction", None),
    # the finish still to come: "construction to begin in 2026 and be completed in 2027"
    (_cue(r"\b(?:to|will|would|should|and)\s+be\s+(?:fully\s+)?(?:completed|finished)\b"), "planned", None),
    (_cue(r"\b(?:completed|finished)\s+construction\b|\bconstruction\s+(?:was|has been|is)\s+"
          r"(?:now\s+)?(?:completed?|finished)\b"), "under_construction", "site"),
    (_cue(r"\bcompletion\b(?:\s+of\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?)?\s+(?:is\s+|was\s+)?(?:expected|scheduled|"
          r"slated|due|targeted|planned)\b"
          r"|\b(?:expected|scheduled|slated|due|set)\s+(?:to be completed|for completion)\b"),
     "planned", "site"),
    # planning permission applied for is a plan, granted it announces the go-ahead: "plans have
    # been submitted to build", "plans for a processing facility were approved by East Riding Council"
    (_cue(r"\b(?:submitted|lodged|filed)\s+(?:a\s+|an\s+|its\s+|the\s+)?(?:[\w-]+\s+){0,2}?planning application|"
          r"\b(?:plans|planning applications?)\b[^.;]{0,80}?\b(?:have|has|had)\s+been\s+(?:submitted|lodged|filed)\b"),
     "planned", "site"),
    (_cue(r"\b(?:plans|planning applications?|planning permission)\b[^.;]{0,80}?\b(?:were|was|have been|has been)\s+"
          r"(?:approved|granted)\b"), "announced", "site"),
    # a permit awaited or sought is a plan; one granted announces the project's go-ahead
    (_cue(r"\b(?:awaiting|awaits|expects?|seeking|seeks|obtaining|applied for|applying for)\s+(?:[\w-]+\s+){0,3}?"
          r"(?:permits?|approvals?|(?<!export )licen[cs]es?)\b|\bin the process of obtaining\b"), "planned", "site"),
    (_cue(r"\b(?:received|secured|obtained|granted|won|was given)\s+(?:[\w-]+\s+){0,3}?(?:permits?|"
          r"approvals?|(?<!export )licen[cs]es?|variation)\b"), "announced", "site"),
    # the authority's side of it: "has issued a 25-year mining licence to", "issued the final permit for"
    (_cue(r"\b(?:issued|granted|awarded)\s+(?:a|an|the|its)\s+(?:[\w-]+\s+){0,3}?(?:permits?|approvals?|"
          r"(?<!export )licen[cs]es?|clearance)\s+(?:to|for)\b"), "announced", "site"),
    # a board's go-ahead or a final investment decision announces the build
    (_cue(r"\b(?:approved|sanctioned|green-?lit)\s+(?:the\s+|its\s+)?(?:[\w’'-]+\s+){0,3}?"
          r"(?:construction|development|expansion)\b|\bgave\s+(?:the\s+)?(?:green light|go-ahead)\s+to\b|"
          r"\bapproved\s+(?:a|the)\s+plan\s+to\s+(?:invest|build|construct|establish|develop)\b|"
          r"\b(?:made|reached|took|taken|announced|"
          r"approved)\s+(?:a|the|its)\s+(?:positive\s+)?(?:final investment decision|FID)\b"),
     "announced", None),
    (_cue(r"\b(?:will|to|would|should)\s+be\s+(?:\w+ly\s+)?commissioned\b"), "planned", None),
    # "once fully commissioned, the lab will produce": a condition, not a milestone
    (_cue(r"(?<!once )(?<!when )(?<!fully )(?<!newly )\bcommissioned\b"), "operating", None),
    # commissioning is the last step of a build: under way it is construction, begun it runs,
    # in a future frame it is a plan ("slated to begin commissioning in 2028")
    (_cue(r"\bcommissioning\s+(?:has|have)\s+(?:now\s+)?(?:begun|started|commenced)\b|"
          r"\b(?:began|begun|started|commenced)\s+commissioning\b"), "operating", None),
    (_cue(r"\bcommissioning\b"), "planned", "future"),
    (_cue(r"\badvanced?\s+(?:the\s+)?commissioning\b"), "planned", None),
    (_cue(r"\bcommissioning\b"), "under_construction", None),
    (_cue(r"\b(?:delayed|postponed|pushed back|deferred|behind schedule)\b"), "delayed", "site"),
    (_cue(r"\b(?:closed|shut down|shuttered|idled|care and maintenance|(?:halted|suspended|"
          r"ceased) (?:production|operations)|(?:production|operations)" + _AT_SITE + r"\s+"
          r"(?:was|were|has been|have been)\s+(?:halted|suspended|stopped))\b"), "closed", "site"),
    (_cue(r"\b(?:is|are|was|were|been|being)\s+(?:\w+ly\s+|also\s+|now\s+|still\s+)*"
          r"(?:building|constructing|establishing)\b|\bunder construction\b"), "under_construction", "site"),
    (_cue(r"\b(?:announced|unveiled|revealed|outlined)\s+(?:(?:its|an|the)\s+)?(?:plans?|intentions?)\s+to\s+"
          r"(?:build|construct|establish|set up|open|develop|invest)\b"), "announced", "site"),
    # the announcement or the signed deal itself: "announced Quadrant will build", "signed an
    # agreement to build a 3,000-tonne magnet plant" (guide: announced, the decision itself)
    (_cue(r"\b(?:announced|unveiled)\s+(?:that\s+)?(?:[\w’'.&-]+\s+){1,5}?will\s+(?:build|construct|"
          r"establish|set up|open)\b|\b(?:signed|signing|inked)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?"
          r"(?:agreement|deal|memorandum|mou|contract)\s+to\s+(?:build|construct|establish|set up|develop)\b"),
     "announced", "site"),
    (_cue(r"\b(?:plans?|planning|intends?|aims?|set|poised|expected|expects?)\s+to\s+(?:build|construct|"
          r"set up|open|establish|install)\b|\bwill (?:build|construct|open|establish|set up|install)\b"),
     "planned", "site"),
    # money awarded or spent for a plant: "awarded a $120 million contract to build a ... facility"
    (_cue(r"\b(?:awarded|awards?|contract|agreement|loan|grant)\b[^.;]{0,100}?\bto\s+(?:build|construct|"
          r"establish|set up|expand)\b"), "planned", "site"),
    (_cue(r"\b(?:spend|spending|invest|investing|raise|raising)\b[^.;]{0,80}?\bto\s+(?:build|construct|"
          r"establish|set up)\b"), "announced", "site"),
    (_cue(r"\b(?:has|have)\s+completed\s+(?:its|the|a)\s+(?:[\w/,.-]+\s+){0,9}?(?:plant|factory|facility|"
          r"refinery)\b"), "operating", None),
    (_cue(r"\b(?:accomplished|achieved|completed|made|celebrated)\s+(?:its\s+|the\s+|a\s+)?first\s+"
          r"(?:commercial\s+)?(?:production|output|batch|shipment)\b"), "operating", None),
    # a finished site runs: "the new crushing facility has been completed"
    (_cue(r"\b(?:has|have)\s+been\s+(?:\w+ly\s+)?completed\b|\b(?:was|were)\s+(?:completed|finali[sz]ed)\s+in\b"),
     "operating", "site"),
    (_cue(r"\b(?:will|to|should)\s+(?:restart|resume)\b"), "planned", "site"),
    (_cue(r"\bstart(?:ed|s)?\s+(?:a\s+|the\s+)?(?:plant\s+|factory\s+)?construction\b"), "under_construction",
     None),
    (_cue(r"\b(?:production|operations|output)" + _AT_SITE + r"\s+(?:should|will|would)\s+(?:begin|start|"
          r"commence)\b"), "planned", None),
    (_cue(r"\b(?:formed|forms|form|established|set up|created)\s+(?:a\s+)?(?:new\s+)?"
          r"joint venture\b"), "announced", "site"),
    (_cue(r"\b(?:opened|inaugurated)\b"), "operating", "site"),
    # "X operates a ... plant" reports a site; "which operates the only mine" describes X
    (_cue(r"(?<!which )(?<!that )\b(?:operates|runs)\s+(?:an?\s+|its\s+)(?:[\w’'.,-]+\s+){0,4}?(?:plant|"
          r"factory|facility|refinery|mine|smelter|mill|complex)\b"), "operating", None),
    # "operations are expected to be online in 2028", "came online in 2024"
    (_cue(r"\b(?:expected|scheduled|set|slated|due|planned|poised|on track)\s+to\s+(?:be|come|go)\s+"
          r"(?:fully\s+)?online\b|\b(?:will|to)\s+(?:come|go)\s+online\b"), "planned", None),
    (_cue(r"\b(?:came|went|is now|are now|was brought|were brought)\s+online\b"), "operating", "site"),
    # "we expect our projects to converge and enter production by mid-2028"
    (_cue(r"\bexpects?\b[^.;]{0,50}?\b(?:to|and)\s+(?:begin|start|commence|enter|reach)\s+(?:commercial\s+)?"
          r"production\b"), "planned", None),
    (_cue(r"\b(?:is|are)\s+(?:currently\s+|now\s+|already\s+)?producing\b"), "operating", "site"),
    (_cue(r"\band\s+(?:to\s+)?open\s+in\b"), "planned", "future"),
    # nominal milestones ("expects the construction launch in 2026 and the onset of operations
    # in 2028") and readiness ("ready for shipment by June") are plans only in a future frame
    (_cue(r"\bconstruction\s+(?:launch|start)\b|\b(?:launch|start|beginning|commencement|onset)"
          r"\s+of\s+construction\b"), "planned", "future"),
    (_cue(r"\b(?:launch|start|beginning|commencement|onset)\s+of\s+(?:[\w-]+\s+)?"
          r"(?:production|operations|output|manufacturing)\b"), "planned", "future"),
    (_cue(r"\bready\s+for\s+(?:shipment|delivery|dispatch|sale|export)\b"), "planned", "future"),
]

OFFTAKE = _cue(r"\boff-?take\b(?!\s+(?:targets?|goals?|ambitions?)\b)|\bsupply (?:agreement|deal|contract|pact|arrangement)s?\b|"
               r"\b(?:purchase|sales) (?:agreements?|contracts?)\b|\b(?:signed|inked|struck|entered into|"
               r"secured|won)\s+" + _WORDS + r"{0,3}(?:contracts?|agreements?|deals?)\s+with\b|"
               r"\bsourc(?:es|e|ing)\s+" + _WORDS + r"{0,3}from\b|\bagreed to (?:buy|purchase)\b|"
               r"\b(?:deal|agreement|contract)\s+to\s+(?:buy|purchase|supply)\b|"
               r"\b(?:memorandum of understanding|MoU|letter of intent|heads of agreement)\s+"
               r"(?:for|on|to)\s+(?:the\s+)?(?:supply|sale|purchase|offtake)\b")
# "agreed to supply 500 t/yr", "will buy up to 1,000 t", "with B taking a further 200 t"
OFFTAKE_VOLUME_BEFORE = _cue(r"\b(?:will|to)\s+(?:also\s+)?(?:supply|sell|buy|purchase|deliver|"
                             r"procure)\s+(?:[a-z]+\s+){0,2}$|\b(?:taking|take|takes|took)\s+"
                             r"(?:an?\s+)?(?:additional|further|another)\s+$|"
                             # a buyer's order: "upped its order to 750tpa", "an order for 200 t"
                             r"\borders?\s+(?:to|for|of)\s+(?:[a-z]+\s+){0,2}$")
# "contract volumes are 200 tpy", "the deal is for 500 tonnes"
DEAL_VOLUME_BEFORE = _cue(r"\b(?:contract(?:ed)?|offtake)\s+volumes?\b|\b(?:deal|agreement|contract|"
                          r"MoU)\s+(?:is|was|will be)\s+for\s+$")
# a volume to be supplied or bought, in a clause that names the deal it is under
DEAL_NOUN = _cue(r"\b(?:agreement|deal|contract|MoU|memorandum of understanding|term sheet)s?\b")
# "200 t in 2026, increasing to 360 t": a later step of the same schedule
STEP_UP_BEFORE = _cue(r"\b(?:increasing|rising|growing|stepping up|ramping up)\s+to\s+$")
OFFTAKE_VOLUME_AFTER = _cue(r"^[^,;]{0,25}?\b(?:already\s+)?(?:committed|contracted|sold|"
                            r"promised)\s+to\b")
# a volume someone buys or sells is never the seller's capacity, agreed or not
SALE_VOLUME_BEFORE = _cue(r"\b(?:supply|supplying|sell|selling|buy|buying|purchase|purchasing|"
                          r"deliver|delivering)\s+(?:[a-z]+\s+){0,2}$|"
                          # the nouns: "the sale of at least 500 tonnes", "sales of 464 t"
                          r"\b(?:sales?|purchases?|deliveries|delivery)\s+of\s+(?:[a-z]+\s+){0,2}$")
# "global supply of 38,000 t" is a quantity of output; it is a sale only under a named deal
SUPPLY_OF_BEFORE = _cue(r"\bsupply\s+of\s+(?:[a-z]+\s+)?$")
OFFTAKE_GOAL_BEFORE = _cue(r"\bofftake\s+(?:targets?|goals?|ambitions?)\s+(?:of\s+)?$")
# deals still being sought are not deals
OFFTAKE_UNSIGNED = _cue(r"\b(?:aim\w*|seek\w*|look\w*|hop\w*|plan\w*|intend\w*|tr(?:y|ies|ying)|"
                        r"want\w*)\s+to\s+(?:secure|sign|land|strike|conclude|finali[sz]e|link|sell|supply|"
                        r"buy|purchase)\b|"
                        r"\bnegotiat(?:e|es|ing)\b|\binterest in\b")
OFFTAKE_SELLER_AFTER = _cue(r"\b(?:purchase|buy|procure)\s+(?:all\s+|the entire\s+)?(?:of\s+)?"
                            r"(?:the\s+)?" + _WORDS + r"{0,4}(?:produced|made)\s+(?:by|at)\s+$|"
                            r"\bsourc(?:es|e|ing)\s+" + _WORDS + r"{0,3}from\s+$")
OFFTAKE_TO_BUYER = re.compile(r"\b(?:[Dd]eliver|[Ss]upply|[Ss]hip|[Ss]ell)\w*\s+" + _WORDS +
                              r"{0,5}to\s+[A-Z]")
OFFTAKE_PURCHASE = _cue(r"\b(?:purchase|buy|procure)\s+(?:all\s+|the entire\s+)?(?:of\s+)?"
                        r"(?:the\s+)?" + _WORDS + r"{0,4}(?:produced|made)\s+(?:by|at)\b")
# "Noveon will supply rare earth magnets for ...", "SGI, which supplies magnets to VinFast", "its
# key customers include GM", "tolling agreements with clients": a supply relationship
OFFTAKE_SUPPLY_VERB = _cue(r"\b(?:will|to)\s+(?:also\s+)?supply\s+(?:[\w’'.-]+\s+){0,6}?(?:magnets?|oxides?|"
                           r"rare earths?|materials?|metals?|alloys?|concentrates?|NdPr|carbonate)\b|"
                           r"\bsupplies\s+(?:[\w’'.-]+\s+){0,4}?(?:magnets?|oxides?|rare earths?|materials?|"
                           r"metals?|alloys?|concentrates?|NdPr)\s+to\b|"
                           r"\b(?:key\s+|major\s+|main\s+|largest\s+)?customers?\s+(?:is|are|include|includes)\b|"
                           r"\btolling\s+(?:agreements?|contracts?|deals?)\b")
OFFTAKE_PARTNER = _cue(r"\b(?:collaborat\w*|partner(?:ship|ing|ed|s)?)\s+with\b")
SUPPLIER_AFTER_WITH = _cue(r"\bwith\s+(?P<partner>.{2,60}?)\s+to\s+supply\b")

EXPORT_CONTROL = _cue(
    r"\bexport (?:controls?|restrictions?|curbs?|bans?|licen[cs]es?|licensing|permits?|quotas?|"
    r"embargo|crackdown)\b|\b(?:ban|bans|restrictions?|curbs?|controls?)\s+on\s+export(?:s|ing)\b|\b(?:restrict\w*|ban|bans|banned|banning|halt\w*|curb\w*|suspend\w*|block\w*|"
    r"limit\w*)\s+" + _WORDS + r"{0,4}exports?\b|\blicens\w+\s+" + _WORDS + r"{0,3}exports?\b|"
    r"\bcontrol\s+(?:over|on)\s+" + _WORDS + r"{0,3}exports?\b|\brare[- ]earths? control"
    r"(?:s|\s+measures)\b|\bpermits? for exports?\b|\b(?:tighten\w*|expand\w*|impos\w*|"
    r"introduc\w*|extend\w*|lift\w*|eas\w*|suspend\w*)\s+" + _WORDS + r"{0,2}controls?\s+"
    r"(?:on|over)\b")
# "a new licensing regime that could speed up shipments": the permits exports need
EXPORT_LICENSING = _cue(r"\blicen[cs]ing\s+(?:regime|system|scheme|rules|requirements?|"
                        r"process)\b"
                        r"(?=[^.;]*\b(?:exports?|shipments?|exporters?)\b)")
# prices "affected by export restrictions" cite the controls as a cause, not as news
EXPORT_CONTROL_AS_CAUSE = _cue(r"\b(?:affected|hit|impacted|driven)\s+by\s+"
                               r"(?:[\w’'-]+\s+){0,3}$")
# controls on minerals outside the rare-earth chain, when no rare earth is named
OTHER_MINERALS = _cue(r"\bnon-?ferrous\b|\b(?:gallium|germanium|graphite|antimony|tungsten|"
                      r"lithium|cobalt|nickel|"
                      r"indium|tellurium|uranium|copper|bismuth|molybdenum|vanadium)\b")
EXPORT_CONTROL_ANAPHOR = _cue(r"\b(?:these|the|such|those) controls\b")

RECYCLING = _cue(
    r"(?<!water )\brecycling\s+(?:plant|facility|facilities|centre|center|hub|capacity|"
    r"operations?|line|business|project|process)\b|\brecycl(?:ing|ed|es)\s+(?:of\s+)?"
    + _WORDS + r"{0,3}(?:magnets?|rare earths?|e-waste|electronic waste|scrap|batter\w+|swarf|"
    r"end-of-life)|\b(?:magnet|rare earth|e-waste|scrap|battery)\s+recycl\w+|"
    r"\b(?:will|aims? to|plans? to|targets?|intends? to)\s+recycle\b|"
    r"\b(?:recover\w*|reprocess\w*|extract\w*)\s+" + _WORDS + r"{0,4}(?:from|of)\s+" + _WORDS
    + r"{0,2}(?:e-waste|electronic waste|scrap|end-of-life|magnets)\b|\b(?:recovery|"
    r"reprocessing)\s+(?:and\s+\w+\s+)?of\s+" + _WORDS + r"{0,3}magnets\b|"
    # "integrate recycling into its operations": recycling taken on as part of the business
    r"\b(?:integrat\w*|incorporat\w*|add\w*|introduc\w*|build\w*)\s+recycling\s+"
    r"(?:into|to|in|at)\b")

HEDGED_LIST_SUBJECT = _cue(r"\b(?:companies|firms|producers|manufacturers)\s+(?:like|such as|"
                           r"including)\b")
CLAUSE_BREAK = re.compile(r",\s+while\s+|;\s+|,\s+whereas\s+|,\s+but\s+(?!also\b)")

MATERIALS = [
    (r"Nd-?Pr oxide|neodymium[- ]praseodymium (?:\(NdPr\) )?oxide|Pr-?Nd oxide|praseodymium-neodymium oxide",
     "NdPr oxide"),
    (r"Nd-?Pr metal|Pr-?Nd metal|neodymium[- ]praseodymium (?:\(NdPr\) )?metal|praseodymium-neodymium metal",
     "NdPr metal"),
    (r"dysprosium oxide|Dy oxide|Dy2O3", "Dy oxide"),
    (r"terbium oxide|Tb oxide|Tb4O7", "Tb oxide"),
    (r"dysprosium and terbium|terbium and dysprosium|Dy/Tb|Dy-Tb|Dy\+Tb", "Dy+Tb"),
    ((r"neodymium and praseodymium|praseodymium and neodymium|neodymium-praseodymium|praseodymium-neodymium"
      r"|NdPr|Nd-Pr"), "NdPr"),
    (r"(?:total )?rare earth oxides?|\bT?REO\b", "rare earth oxide"),
    (r"light and heavy rare earths?(?: elements?)?", "light and heavy rare earths"),
    (r"heavy rare earths?(?: elements?)?|\bHREEs?\b", "heavy rare earths"),
    (r"light rare earths?(?: elements?)?|\bLREEs?\b", "light rare earths"),
    # the alloy magnets are made from, not the magnet: "double NdFeB alloy production capacity"
    (r"(?:NdFeB|neodymium[- ]iron[- ]boron|magnet(?:ic)?|strip[- ]cast) alloys?", "NdFeB alloy"),
    ((r"(?:rare[- ]earth |neodymium |NdFeB |permanent |sintered )+magnets?|NdFeB|magnet materials?"
     r"|\bmagnets\b|\bREPMs?\b|\bmagnet(?= (?:exports?|imports?|shipments?|output|production))"), "NdFeB magnet"),
    (r"rare earth metals?", "rare earth metal"),
    (r"rare[- ]earths?(?: elements?)?|\bREEs?\b", "rare earths"),
]
MATERIAL_PATTERNS = [(re.compile(p, re.IGNORECASE), name) for p, name in MATERIALS]
ANY_MATERIAL = guarded("|".join(f"(?:{p})" for p, _ in MATERIALS), re.IGNORECASE)  # one pass finds the first
# a sentence dated by its publication, known or not, rather than by the paragraph's year
DATED_BY_PUBLICATION = _cue(r"\b(?:currently|today|this week|yesterday)\b")
# output from scrap is recycled: "REO produced from NdFeB magnet scrap", "to process end-of-life
# permanent magnets into oxides"
RECYCLED = _cue(r"\b(?:process\w*|recycl\w*|collect\w*)\s+(?:[\w-]+\s+)?(?:end-of-life|old|waste|used|spent)\s+"
                r"(?:[\w-]+\s+){0,2}?(?:magnets?|devices|electronics|products|neodymium)\b"
                r"|\b(?:from|of)\s+(?:[\w-]+\s+){0,3}?(?:scrap|e-waste|(?<!overburden )(?<!mine )(?<!mining )waste|"
               r"end-of-life)\b"
               # a recycling works makes magnets or oxide, but its step is recycling
               r"|\brecycling\s+(?:[\w-]+\s+){0,1}?(?:plant|facility|factory|centre|center|line|"
               r"capacity|operations?)\b|\brecycled\b")
# trade in ore is at the mine even when the material is rare earths at large
ORE = _cue(r"\b(?:ores?|concentrates?)\b")
# Materials that name no one step of the chain.
GENERIC_MATERIALS = ("rare earths", "rare earth oxide", "heavy rare earths", "light rare earths",
                     "light and heavy rare earths", "rare earth metal")
STAGE_OF_MATERIAL = {
    "NdPr oxide": "separation", "Dy oxide": "separation", "Tb oxide": "separation",
    "NdPr metal": "metal", "NdFeB alloy": "alloy", "NdFeB magnet": "magnet", "rare earth metal": "metal",
    "rare earth oxide": "separation", "NdPr": "separation", "Dy+Tb": "separation",
}
# money for a whole chain or for critical minerals at large is at no one step
WHOLE_CHAIN = _cue(r"\bsupply[- ]chains?\b|\bvalue chains?\b|\bcritical (?:minerals?|materials?|raw materials?)\b"
                   r"|\bCRM projects?\b")
# "convert rare earth oxides into metals": the step is the product's
CONVERTED_INTO = _cue(r"\b(?:convert\w*|turn\w*|refin\w*|process\w*)\b[^.;]{0,60}?\binto\s+(?:[\w-]+\s+){0,3}?"
                      r"(?P<product>metals?|alloys?|magnets?)\b")
# "smelting" in Chinese usage is short for smelting and separation (its quota, its plants)
SEPARATION_WORDS = _cue(r"\bseparation|\bseparat(?:ed|ing)\b|\brefin|\bprocess(?:ing|ed|es)?\b|"
                       r"\boxides?\b|\bsmelting\b")
MINE_WORDS = _cue(r"\bmine[sd]?\b|\bmining\b|\bdeposits?\b|\bores?\b|\bconcentrates?\b|\bclay\b")
STAGE_WORDS = [
    (_cue(r"\brecycl"), "recycling"),
    (_cue(r"\bmagnets?\b|NdFeB"), "magnet"),
    (_cue(r"\balloy"), "alloy"),
    (_cue(r"(?-i:\bmetals?\b)|\bmetalli[sz]ation\b"), "metal"),  # not "Metals" of a name (JOGMEC)
    (SEPARATION_WORDS, "separation"),
    (MINE_WORDS, "mine"),
]
