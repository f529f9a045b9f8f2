#!/usr/bin/env python3
"""Hand annotations of the held-out gold set. Writes <slug>.json with exact evidence offsets.

Each evidence string is an exact sentence of docs/<slug>.txt; the script finds it and
stores start/end. Run after write_docs.py: python3 gold/heldout/build_heldout.py
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ["kind", "company", "facility", "country", "stage", "quantity", "quantity_high", "unit",
          "qualifier", "material", "year", "status", "agency", "evidence"]


def F(kind, evidence, **kw):
    f = {k: None for k in FIELDS}
    f["kind"] = kind
    f["evidence"] = evidence
    for k, v in kw.items():
        if k not in FIELDS and k != "usd":
            raise KeyError(k)
        f[k] = v
    for k in ("quantity", "quantity_high", "usd"):
        if f.get(k) is not None:
            f[k] = float(f[k])
    return f


META = {}
FACTS = {}

# ---------------------------------------------------------------- 1. Magnetics Magazine (2021)
S = "magneticsmag_lynas_texas"
META[S] = dict(published=None,
               title="DoD Awards Contract to Lynas to Build Rare Earths Plant in Texas",
               publisher="Magnetics Magazine",
               url="https://magneticsmag.com/dod-awards-contract-to-lynas-to-build-rare-earths-plant-in-texas")
L = dict(company="Lynas", country="US", stage="separation")
FACTS[S] = [
    F("funding", "Its latest move toward the objective came in February when Australian-based Lynas Rare Earths Ltd, the largest rare earth element mining and processing company outside of China, was awarded a technology investment contract by DoD to build a rare earths processing plant in Texas.",
      **L, material="light rare earths", agency="DoD"),
    F("production", "Upon completion of the project, if successful, Lynas will produce approximately 25 percent of the world supply of rare earth element oxides.",
      company="Lynas", stage="separation", quantity=25, unit="%", qualifier="about", material="rare earth oxide"),
    F("plant_status", "Currently, Lynas operates a modern, rare-earths separations facility in Malaysia that processes ore from its Mt. Weld mine in Australia which is the only large-scale such operation outside China.",
      company="Lynas", country="MY", stage="separation", material="rare earths", status="operating"),
    F("plant_status", "Through its wholly-owned subsidiary Lynas USA LLC, Lynas will establish LREE separation capacity in Hondo, Texas.",
      **L, facility="Hondo", material="light rare earths", status="planned"),
    F("funding", "Under the agreement, DoD is contributing $30.4 million to help fund the project while Lynas says it expects to spend about $30 million.",
      **L, facility="Hondo", quantity=30.4e6, unit="USD", material="light rare earths", agency="DoD"),
    F("funding", "Under the agreement, DoD is contributing $30.4 million to help fund the project while Lynas says it expects to spend about $30 million.",
      **L, facility="Hondo", quantity=30e6, unit="USD", qualifier="about", material="light rare earths"),
    F("plant_status", "Lynas announced in 2019 that it had formed a joint venture with Blue Line Corporation involving the company\u2019s site in Hondo for a heavy rare earths separation plant there.",
      **L, facility="Hondo", material="heavy rare earths", year=2019, status="announced"),
]

# ---------------------------------------------------------------- 2. Australian Mining (2022)
S = "australianmining_iluka_eneabba"
META[S] = dict(published=None,
               title="Iluka approved for $1.2bn processing powerhouse",
               publisher="Australian Mining",
               url="https://www.australianmining.com.au/news/iluka-approved-to-become-processing-powerhouse/")
I = dict(company="Iluka Resources", facility="Eneabba", country="AU")
FACTS[S] = [
    F("plant_status", "Iluka Resources\u2019 Board has approved phase three construction of its Eneabba rare earths refinery in Western Australia, allowing the company to process its own and third-party material.",
      **I, stage="separation", material="rare earth oxide", status="announced"),
    F("capacity", "The approval followed the completion of a feasibility study which outlined a processing capacity of 17,500 tonnes per annum of rare earth oxides.",
      **I, stage="separation", quantity=17500, unit="t/yr", material="rare earth oxide", status="planned"),
    F("funding", "The refinery\u2019s capital cost will be between $1 billion and $1.2 billion, with the Federal Government signing on to a risk-sharing agreement plus funding from its critical minerals facility.",
      **I, stage="separation", quantity=1.0e9, quantity_high=1.2e9, unit="AUD", material="rare earth oxide"),
    F("funding", "The refinery\u2019s capital cost will be between $1 billion and $1.2 billion, with the Federal Government signing on to a risk-sharing agreement plus funding from its critical minerals facility.",
      **I, stage="separation", material="rare earth oxide", agency="Australian Federal Government (Critical Minerals Facility)"),
    F("plant_status", "Construction will commence in the second half of 2022, with first production expected in 2025.",
      **I, stage="separation", material="rare earth oxide", year=2022, status="planned"),
    F("plant_status", "Construction will commence in the second half of 2022, with first production expected in 2025.",
      **I, stage="separation", material="rare earth oxide", year=2025, status="planned"),
    F("plant_status", "Phase two construction began in August 2021 and completion is scheduled for the first half of 2022.",
      **I, stage="mine", year=2021, status="under_construction"),
    F("plant_status", "Phase two construction began in August 2021 and completion is scheduled for the first half of 2022.",
      **I, stage="mine", year=2022, status="planned"),
]

# ---------------------------------------------------------------- 3. Reuters (2023)
S = "reuters_stellantis_niocorp"
META[S] = dict(published="2023-07-06",
               title="Stellantis reaches preliminary deal on rare earth minerals with NioCorp",
               publisher="Reuters",
               url="https://www.reuters.com/business/stellantis-reaches-preliminary-deal-rare-earth-minerals-with-niocorp-2023-07-06/")
FACTS[S] = [
    F("offtake", "July 6 (Reuters) - Automaker Stellantis N.V. (STLAM.MI) and Canada-based miner NioCorp Developments Ltd (NB.TO) on Thursday signed an offtake term sheet with the objective of establishing a supply deal for rare earth minerals critical to electrical vehicles.",
      company="NioCorp", facility="Elk Creek", country="US", material="rare earths", year=2023),
    F("offtake", "The preliminary agreement establishes a 10-year offtake contract for minerals like neodymium-praseodymium oxide, dysprosium oxide, and terbium oxide that NioCorp aims to produce at its Elk Creek Critical Minerals Project in southeast Nebraska.",
      company="NioCorp", facility="Elk Creek", country="US", stage="separation", quantity=10, unit="years",
      material="NdPr oxide", year=2023),
]

# ---------------------------------------------------------------- 4. Argus Media (2025)
S = "argus_arafura_traxys"
META[S] = dict(published=None,
               title="Australia's Arafura secures new NdPr oxide offtake deal",
               publisher="Argus Media",
               url="https://argusmedia.com/ja/news-and-insights/latest-market-news/2669623-australia-s-arafura-secures-new-ndpr-oxide-offtake-deal")
A = dict(company="Arafura", facility="Nolans", country="AU", stage="separation")
FACTS[S] = [
    F("offtake", "Australian producer Arafura Rare Earth will supply between 100-300 t/yr of neodymium-praseodymium (NdPr) oxide to Dutch trader Traxys Europe, bringing the company closer to its offtake target of 3,552 t/yr.",
      **A, quantity=100, quantity_high=300, unit="t/yr", material="NdPr oxide"),
    F("offtake", "Arafura has agreed to supply at least 100 t/yr of NdPr oxide to Traxys for five years, but can choose to sell up to 300 t/yr of the material.",
      **A, quantity=100, quantity_high=300, unit="t/yr", material="NdPr oxide"),
    F("capacity", "Arafura is currently developing the 4,400 t/yr Nolans project, a combined mine and NdPr refinery in Western Australia (WA).",
      **A, quantity=4400, unit="t/yr", material="NdPr oxide", status="planned"),
    F("offtake", "German manufacturer Siemens has already agreed to buy 520 t/yr of NdPr from Arafura, with South Korean firms Hyundai and Kia taking an additional 1,500 t/yr of the material.",
      **A, quantity=520, unit="t/yr", material="NdPr"),
    F("offtake", "German manufacturer Siemens has already agreed to buy 520 t/yr of NdPr from Arafura, with South Korean firms Hyundai and Kia taking an additional 1,500 t/yr of the material.",
      **A, quantity=1500, unit="t/yr", material="NdPr"),
    F("offtake", "Arafura has committed to sell 2,320 t/yr of oxide from the Nolans project since 2023.",
      **A, quantity=2320, unit="t/yr", material="NdPr oxide"),
    F("funding", "Australia's federal Labor government agreed to invest A$200mn ($126mn) into the project in mid-January.",
      **A, quantity=200e6, unit="AUD", usd=126e6, material="NdPr oxide", agency="Australian federal government"),
    F("funding", "It previously committed A$840mn to the project in March 2024.",
      **A, quantity=840e6, unit="AUD", material="NdPr oxide", year=2024, agency="Australian federal government"),
    F("funding", "Australian officials have backed other rare earths projects over recent years, including Iluka Resources' Eneabba refinery in WA.",
      company="Iluka Resources", facility="Eneabba", country="AU", stage="separation", material="rare earths",
      agency="Australian government"),
]

# ---------------------------------------------------------------- 5. The New Indian Express (2025)
S = "newindianexpress_repm_scheme"
META[S] = dict(published="2025-11-26",
               title="Govt approves Rs 7,280 crore scheme to promote manufacturing of rare earth magnets",
               publisher="The New Indian Express",
               url="https://www.newindianexpress.com/business/2025/Nov/26/govt-approves-rs-7280-crore-scheme-to-promote-manufacturing-of-rare-earth-magnets")
N = dict(country="IN", stage="magnet", material="NdFeB magnet")
FACTS[S] = [
    F("funding", "NEW DELHI: The government on Wednesday has approved a Scheme to Promote Manufacturing of Sintered Rare Earth Permanent Magnets (REPM) with a total financial outlay of Rs 7,280 crore.",
      **N, quantity=7.28e10, unit="INR", year=2025, agency="Government of India"),
    F("funding", "This includes sales-linked incentives worth Rs 6,450 crore on REPM sales for a period of five years.",
      **N, quantity=6.45e10, unit="INR", year=2025, agency="Government of India"),
    F("capacity", "The initiative will create a manufacturing capacity of 6,000 Metric Tons Per Annum (MTPA), including five units with capacities of 1,200 MTPA each.",
      **N, quantity=6000, unit="t/yr", status="planned"),
    F("capacity", "The initiative will create a manufacturing capacity of 6,000 Metric Tons Per Annum (MTPA), including five units with capacities of 1,200 MTPA each.",
      **N, quantity=1200, unit="t/yr", status="planned"),
    F("demand_forecast", "India\u2019s consumption of REPMs is projected to double by 2030 compared to 2025 levels.",
      **N, quantity=2, unit="x", year=2030),
    F("production", "Currently, China controls about 60 percent of global rare earth mining and nearly 90 percent of refining and processing capacity.",
      country="CN", stage="mine", quantity=60, unit="%", qualifier="about", material="rare earths", year=2025),
    F("capacity", "Currently, China controls about 60 percent of global rare earth mining and nearly 90 percent of refining and processing capacity.",
      country="CN", stage="separation", quantity=90, unit="%", qualifier="about", material="rare earths", year=2025),
    F("export_control", "In April, it imposed restrictions on REPM exports, tightening supply to India\u2019s automobile and electronics sectors.",
      country="CN", stage="magnet", material="NdFeB magnet", year=2025),
]


def main():
    for slug, facts in FACTS.items():
        text = open(HERE / "docs" / f"{slug}.txt", encoding="utf-8").read()
        out = []
        for f in facts:
            ev = f["evidence"]
            start = text.find(ev)
            if start < 0:
                raise SystemExit(f"{slug}: evidence not found: {ev[:60]!r}")
            f = dict(f)
            usd = f.pop("usd", None)
            f["start"], f["end"] = start, start + len(ev)
            if usd is not None:
                f["usd"] = usd
            out.append(f)
        doc = {"document": f"{slug}.txt", **{k: META[slug][k] for k in ("published", "title", "publisher", "url")},
               "facts": out}
        doc = {"document": doc["document"], "published": doc["published"], "title": doc["title"],
               "publisher": doc["publisher"], "url": doc["url"], "facts": out}
        (HERE / f"{slug}.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(slug, len(out))


if __name__ == "__main__":
    main()
