#!/usr/bin/env python3
"""Writes the five held-out article texts (copied from the stored pages) to docs/."""
from pathlib import Path

DOCS = {
"magneticsmag_lynas_texas": """DoD Awards Contract to Lynas to Build Rare Earths Plant in Texas

The U.S. Department of Defense wants to see bags of processed rare earth sitting on domestic soil, feeding the production of neodymium magnets in a politically secure supply chain. Its latest move toward the objective came in February when Australian-based Lynas Rare Earths Ltd, the largest rare earth element mining and processing company outside of China, was awarded a technology investment contract by DoD to build a rare earths processing plant in Texas.
The plant will process light rare earth elements (LREE). LREEs are critical to numerous defense and commercial applications including petroleum refining, glass additives, and magnets used in electric vehicle drivetrain motors and precision-guided munitions, says DoD. Upon completion of the project, if successful, Lynas will produce approximately 25 percent of the world supply of rare earth element oxides. Currently, Lynas operates a modern, rare-earths separations facility in Malaysia that processes ore from its Mt. Weld mine in Australia which is the only large-scale such operation outside China.
Through its wholly-owned subsidiary Lynas USA LLC, Lynas will establish LREE separation capacity in Hondo, Texas. Under the agreement, DoD is contributing $30.4 million to help fund the project while Lynas says it expects to spend about $30 million. Lynas announced in 2019 that it had formed a joint venture with Blue Line Corporation involving the company\u2019s site in Hondo for a heavy rare earths separation plant there. Headquartered in nearby San Antonio, Blue Line is a manufacturer of inorganic salts including rare earths for industrial and high-tech applications.
""",
"australianmining_iluka_eneabba": """Iluka approved for $1.2bn processing powerhouse

Iluka Resources\u2019 Board has approved phase three construction of its Eneabba rare earths refinery in Western Australia, allowing the company to process its own and third-party material.

The approval followed the completion of a feasibility study which outlined a processing capacity of 17,500 tonnes per annum of rare earth oxides.

The refinery\u2019s capital cost will be between $1 billion and $1.2 billion, with the Federal Government signing on to a risk-sharing agreement plus funding from its critical minerals facility.

Iluka managing director and chief executive officer Tom O\u2019Leary said the facility would turn his company into a processing powerhouse.

\u201cRare earths are among the key building blocks of an electrified economy and our final investment decision for phase three will see Eneabba become a strategic hub for the downstream processing of Australia\u2019s rare earths resources,\u201d O\u2019Leary stated.

\u201cThe refinery has been designed specifically to have the capacity to be globally material, the capability to process both Iluka\u2019s feedstocks and those held by third parties, and to have minimal environmental impact, including as a result of being located entirely on a brownfields site.\u201d

There is also potential for the facility to perform rare earth metallisation too, if Iluka should ever need it.

Construction will commence in the second half of 2022, with first production expected in 2025.

O\u2019Leary added that this timeline will be aided by the lack of supplementary infrastructure.

\u201cPhase three will be fed initially from the Eneabba stockpile,\u201d he said.

\u201cBy virtue of being very high grade and not requiring any mining infrastructure, this provides speed to market and solid economics over an indicative life of nine years.\u201d

Phase two construction began in August 2021 and completion is scheduled for the first half of 2022.
""",
"reuters_stellantis_niocorp": """Stellantis reaches preliminary deal on rare earth minerals with NioCorp

July 6 (Reuters) - Automaker Stellantis N.V. (STLAM.MI) and Canada-based miner NioCorp Developments Ltd (NB.TO) on Thursday signed an offtake term sheet with the objective of establishing a supply deal for rare earth minerals critical to electrical vehicles.

The preliminary agreement establishes a 10-year offtake contract for minerals like neodymium-praseodymium oxide, dysprosium oxide, and terbium oxide that NioCorp aims to produce at its Elk Creek Critical Minerals Project in southeast Nebraska.

The rare earth oxides are used in making high-strength permanent magnets for electric vehicle motors, wind turbines and consumer electronics.

Final volumes will be determined in a definitive agreement, upon getting adequate project financing, the companies said in a statement.

Stellantis last week signed a offtake agreement with Australia's Kuniko (KNI.AX) to support the development of metals used in batteries.
""",
"argus_arafura_traxys": """Australia's Arafura secures new NdPr oxide offtake deal

Australian producer Arafura Rare Earth will supply between 100-300 t/yr of neodymium-praseodymium (NdPr) oxide to Dutch trader Traxys Europe, bringing the company closer to its offtake target of 3,552 t/yr.
Arafura has agreed to supply at least 100 t/yr of NdPr oxide to Traxys for five years, but can choose to sell up to 300 t/yr of the material. The deal is priced in terms of NdPr ex-works China prices, the company said on 20 March.
Arafura indicated that it planned to link offtake deals to equity agreements, it said in an investor call in January. But the offtake deal with Traxys does not appear to include an equity component.
Arafura is currently developing the 4,400 t/yr Nolans project, a combined mine and NdPr refinery in Western Australia (WA). The company is aiming to secure offtake deals accounting for 80pc of the project's capacity.
German manufacturer Siemens has already agreed to buy 520 t/yr of NdPr from Arafura, with South Korean firms Hyundai and Kia taking an additional 1,500 t/yr of the material. Arafura has committed to sell 2,320 t/yr of oxide from the Nolans project since 2023.
Arafura is continuing to negotiate offtake agreements with Asian, European, and US consumers. Firms have expressed interest in buying up to 4,740 t/yr of NdPr oxide from the company, beyond the 2,320 t/yr already committed to customers and above Nolans' production capacity.
The rare earth developer has received extensive government support on its Nolans project. Australia's federal Labor government agreed to invest A$200mn ($126mn) into the project in mid-January. It previously committed A$840mn to the project in March 2024.
But Arafura is not alone. Australian officials have backed other rare earths projects over recent years, including Iluka Resources' Eneabba refinery in WA.
""",
"newindianexpress_repm_scheme": """Govt approves Rs 7,280 crore scheme to promote manufacturing of rare earth magnets

NEW DELHI: The government on Wednesday has approved a Scheme to Promote Manufacturing of Sintered Rare Earth Permanent Magnets (REPM) with a total financial outlay of Rs 7,280 crore. This includes sales-linked incentives worth Rs 6,450 crore on REPM sales for a period of five years.
According to the government, the scheme will support the creation of integrated manufacturing facilities covering the entire value chain\u2014from the conversion of rare earth oxides to metals, metals to alloys, and alloys to finished REPMs. The initiative will create a manufacturing capacity of 6,000 Metric Tons Per Annum (MTPA), including five units with capacities of 1,200 MTPA each. The scheme will run for seven years, including two years for setting up manufacturing units.
India\u2019s consumption of REPMs is projected to double by 2030 compared to 2025 levels.
The initiative seeks to develop a robust domestic ecosystem for REPMs\u2014critical components used in electric vehicles, defence systems, and renewable energy technologies.
Currently, China controls about 60 percent of global rare earth mining and nearly 90 percent of refining and processing capacity. In April, it imposed restrictions on REPM exports, tightening supply to India\u2019s automobile and electronics sectors.
""",
}

if __name__ == "__main__":
    out = Path(__file__).resolve().parent / "docs"
    out.mkdir(exist_ok=True)
    for slug, text in DOCS.items():
        (out / f"{slug}.txt").write_text(text, encoding="utf-8")
        print(slug, len(text))
