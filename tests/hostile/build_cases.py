"""Write cases.json: hostile inputs for every command, by class.

Run: python tests/hostile/build_cases.py   (the JSON is committed; this says how it was made)

A case is the command's arguments, the files it needs (written into a temporary folder, whose
path replaces ``{tmp}``), the store it runs on (``shared`` read-only, ``fresh`` a copy it may
change, or a URL), and ``names``: text the refusal must contain, so that it says what was wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

BAD_DATES = ["yesterday", "2025-13-01", "2025-02-30", "2025-1", "20250101", "0000-00-00", "99999",
             "2025/01/01", "-2025", "2025-01-01T25:00", "2025-00", "1e3", "next week", "2025-12-32",
             "２０２５"]
DATE_COMMANDS = [
    (["facilities", "--as-of"], "--as-of"), (["companies", "--as-of"], "--as-of"),
    (["facility", "usar-stillwater", "--as-of"], "--as-of"), (["company", "MP Materials", "--as-of"], "--as-of"),
    (["events", "--as-of"], "--as-of"), (["events", "--since"], "--since"), (["conflicts", "--as-of"], "--as-of"),
    (["outlook", "--region", "US", "--as-of"], "--as-of"), (["calibrate", "--as-of"], "--as-of"),
    (["scenario", "run", "baseline", "--as-of"], "--as-of"), (["digest", "--since"], "--since"),
    (["resilience", "--region", "US", "--as-of"], "--as-of"),
]

BAD_URLS = ["nonsense", "mysql://user@localhost/x", "sqlite:////no/such/folder/store.sqlite",
            "sqlite:///{tmp}/not-a-db.sqlite", "sqlite:///{tmp}/truncated.sqlite", "postgresql://127.0.0.1:1/x",
            "sqlite:///{tmp}", "sqlite://", "postgresql://", "://"]
URL_COMMANDS = [["facilities"], ["db", "info"], ["db", "upgrade"], ["import", "{tmp}/facilities.csv"],
                ["outlook", "--region", "US"], ["review", "list"]]

SCENARIO_BASE = "name: hostile\nbase: {start: 2025-01, end: 2026-12}\n"
SCENARIOS = {
    "not-yaml": "name: [unclosed\n",
    "empty": "",
    "a-list": "- 1\n- 2\n",
    "duplicate-key": "name: a\nname: b\nbase: {start: 2025-01, end: 2025-06}\n",
    "unknown-kind": SCENARIO_BASE + "events:\n  - {kind: embargo, exporter: CN}\n",
    "destination-mars": SCENARIO_BASE + "events:\n  - {kind: export_control, exporter: CN, destinations: [MARS], "
                                        "start: 2025-06, cut: 0.5}\n",
    "stage-unobtainium": SCENARIO_BASE + "events:\n  - {kind: export_control, exporter: CN, stages: [unobtainium], "
                                         "start: 2025-06, cut: 0.5}\n",
    "sector-toasters": SCENARIO_BASE + "priorities: {toasters: 1}\nevents: []\n",
    "producer-nobody": SCENARIO_BASE + "events:\n  - {kind: price_floor, producer: nobody, floor_usd_per_kg: 110, "
                                       "covered_t_per_year: 1000, price_path: {2025: 60}}\n",
    "adoption-99999": SCENARIO_BASE + "events:\n  - {kind: thrifting, reduction: 0.5, adoption: {99999: 1.0}}\n",
    "end-before-start": "name: x\nbase: {start: 2026-01, end: 2025-01}\n",
    "outage-after-run": SCENARIO_BASE + "events:\n  - {kind: plant_outage, facility: mp-mountain-pass-mine, "
                                        "start: 2040-01, months: 6}\n",
    "cut-above-one": SCENARIO_BASE + "events:\n  - {kind: export_control, exporter: CN, start: 2025-06, cut: 1.5}\n",
    "negative-quota": SCENARIO_BASE + "events:\n  - {kind: export_control, exporter: CN, start: 2025-06, quota_t: -5}\n",
    "exporter-xx": SCENARIO_BASE + "events:\n  - {kind: export_control, exporter: XX, start: 2025-06, cut: 0.5}\n",
    "unknown-facility": SCENARIO_BASE + "events:\n  - {kind: plant_outage, facility: no-such-plant, start: 2025-03, "
                                        "months: 6}\n",
    "month-13": "name: x\nbase: {start: 2025-13, end: 2026-01}\n",
    "deep-nesting": "name: x\nbase: " + "[" * 2000 + "]" * 2000 + "\n",
    "huge-number": SCENARIO_BASE + "events:\n  - {kind: stockpile, holder: US, initial_t: 1" + "0" * 400 + "}\n",
    "nul-byte": "name: x\x00\nbase: {start: 2025-01, end: 2025-06}\n",
    "stockpile-mars": SCENARIO_BASE + "events:\n  - {kind: stockpile, holder: MARS, initial_t: 100}\n",
    "demand-shock-mars": SCENARIO_BASE + "events:\n  - {kind: demand_shock, region: MARS, start: 2025-03, "
                                         "factor: 1.2}\n",
    "goods-control-xx": SCENARIO_BASE + "events:\n  - {kind: finished_goods_control, exporter: XX, start: 2025-03, "
                                        "cut: 0.5}\n",
    "priority-zero": SCENARIO_BASE + "priorities: {defense: 0}\nevents: []\n",
    "inventory-negative": "name: x\nbase: {start: 2025-01, end: 2025-06, inventory_months: -3}\n",
    "as-of-bad": "name: x\nbase: {as_of: 2025-13-01, start: 2025-01, end: 2025-06}\n",
    "binary": "\x89PNG\r\n\x1a\n",
}

CSV_HEADER = ("id,site_id,name,company_id,country,region,stage,products,owner_country,notes,source_id,"
              "evidence,confidence\n")
COMPANY_HEADER = "id,name,country,parent_id,source_id,confidence\n"
CAPACITY_HEADER = "id,facility_id,status,capacity_t_per_yr,material,source_id,confidence\n"
FACILITY = "hostile-plant,hostile-site,Hostile plant,mp-materials,US,Texas,magnet,magnets,US,,{source},,high\n"
IMPORTS = {
    "wrong-header.csv": ("facilities.csv", "a,b,c\n1,2,3\n"),
    "unknown-table.csv": ("plants.csv", "id,name\nx,y\n"),
    "empty.csv": ("facilities.csv", ""),
    "binary.csv": ("facilities.csv", "\x89PNG\r\n\x1a\n\x00\x00"),
    "nul-in-cell.csv": ("facilities.csv", CSV_HEADER + FACILITY.replace("Hostile plant", "Hostile\x00plant")),
    "long-id.csv": ("facilities.csv", CSV_HEADER + FACILITY.replace("hostile-plant", "x" * 10000)),
    "long-text.csv": ("facilities.csv", CSV_HEADER + FACILITY.replace(",magnets,", "," + "m" * 140_000 + ",")),
    "unknown-source.csv": ("facilities.csv", CSV_HEADER + FACILITY.replace("{source}", "no-such-source")),
    "unknown-company.csv": ("facilities.csv", CSV_HEADER + FACILITY.replace("mp-materials", "nobody-co")),
    "bad-stage.csv": ("facilities.csv", CSV_HEADER + FACILITY.replace(",magnet,", ",unobtainium,")),
    "bad-country.csv": ("facilities.csv", CSV_HEADER + FACILITY.replace(",US,Texas", ",Narnia,Texas")),
    "bad-confidence.csv": ("facilities.csv", CSV_HEADER + FACILITY.replace(",high\n", ",certain\n")),
    "existing-id-changed.csv": ("facilities.csv", CSV_HEADER + FACILITY.replace("hostile-plant", "usar-stillwater")
                                .replace("hostile-site", "usar-stillwater")),
    "self-parent.csv": ("companies.csv", COMPANY_HEADER + "loop-co,Loop Co,US,loop-co,{source},high\n"),
    "mutual-parents.csv": ("companies.csv", COMPANY_HEADER + "a-co,A Co,US,b-co,{source},high\n"
                                                             + "b-co,B Co,US,a-co,{source},high\n"),
    "deep.json": ("facilities.json", "[" * 5000 + "]" * 5000),
    "not-a-list.json": ("facilities.json", '{"id": "x"}'),
    "broken.json": ("facilities.json", '[{"id": "x",'),
    "huge-number.json": ("capacities.json", '[{"id": "c", "facility_id": "usar-stillwater", "status": "operating", '
                                            '"capacity_t_per_yr": 1' + "0" * 400 + ', "material": "magnet", '
                                            '"source_id": "{source}", "confidence": "high"}]'),
    "nan-capacity.csv": ("capacities.csv", CAPACITY_HEADER + "c1,usar-stillwater,operating,nan,magnet,{source},high\n"),
    "inf-capacity.csv": ("capacities.csv", CAPACITY_HEADER + "c1,usar-stillwater,operating,inf,magnet,{source},high\n"),
    "negative-capacity.csv": ("capacities.csv", CAPACITY_HEADER + "c1,usar-stillwater,operating,-5,magnet,{source},"
                                                                  + "high\n"),
    "bad-date.csv": ("sources.csv", "id,title,published,confidence,kind\ns1,T,2025-13-01,high,reference\n"),
    "yesterday-date.csv": ("sources.csv", "id,title,published,confidence,kind\ns1,T,yesterday,high,reference\n"),
    "broken.xlsx": ("facilities.xlsx", "PK\x03\x04 this is not a workbook"),
    "not-utf8.csv": ("facilities.csv", None),  # written as Latin-1 bytes by the runner
}

CLI_BAD = [
    (["facilities", "--stage", "magnett"], "magnett"), (["facilities", "--status", "sleeping"], "sleeping"),
    (["facilities", "--country", "Narnia"], None), (["facility", "no-such-plant"], "no-such-plant"),
    (["company", "Nobody Ltd"], "Nobody Ltd"), (["source", "no-such-source"], "no-such-source"),
    (["events", "--kind", "invasion"], "invasion"), (["outlook", "--region", "MARS"], "MARS"),
    (["outlook", "--region", "US", "--years", "2035:2024"], "2035:2024"),
    (["outlook", "--region", "US", "--years", "abc"], "abc"),
    (["outlook", "--region", "US", "--years", "1800:1801"], None),
    (["outlook", "--region", "US", "--growth=-200%/yr"], "-200%/yr"),
    (["outlook", "--region", "US", "--growth", "abc"], "abc"), (["outlook", "--region", "US", "--growth", "x0@2030"], None),
    (["outlook", "--region", "US", "--demand", "huge"], "huge"),
    (["outlook", "--region", "US", "--inputs", "{tmp}/no-such-folder"], "no-such-folder"),
    (["outlook", "--region", "US", "--plot", "/proc/magchain/out.png"], "/proc/magchain"),
    (["outlook", "--region", "US", "--plot", "{tmp}"], None),
    (["outlook", "--region", "US", "--plot", "{tmp}/out.docx"], "out.docx"),
    (["explain", "--region", "US", "--year", "2028", "--stage", "bogus"], "bogus"),
    (["explain", "--region", "MARS", "--year", "2028", "--stage", "magnet"], "MARS"),
    (["explain", "--region", "US", "--year", "99999", "--stage", "magnet"], None),
    (["calibrate", "--years", "2030:2020"], "2030:2020"), (["calibrate", "--years", "x"], None),
    (["scenario", "run", "no-such-scenario"], "no-such-scenario"),
    (["scenario", "run", "baseline", "--plot", "/proc/magchain/s.html"], "/proc/magchain"),
    (["scenario", "run", "{tmp}/missing.yaml"], "missing.yaml"),
    (["resilience", "--region", "MARS"], "MARS"), (["resilience", "--scenario", "nope"], "nope"),
    (["review", "show", "nope"], "nope"), (["review", "accept", "nope"], "nope"), (["review", "reject", "nope"], "nope"),
    (["review", "edit", "nope", "--year", "2025"], "nope"), (["review", "list", "--state", "weird"], "weird"),
    (["ingest", "{tmp}/missing.txt"], "missing.txt"), (["ingest", "{tmp}/empty.txt"], "empty"),
    (["ingest", "{tmp}/binary.txt"], "binary"), (["ingest", "{tmp}/article.txt", "--published", "yesterday"],
                                                 "yesterday"),
    (["ingest", "{tmp}/article.txt", "--time-budget", "-1"], None),
    (["ingest", "--evaluate", "{tmp}/no-gold"], "no-gold"),
    (["export", "{tmp}/out", "--format", "docx"], "docx"), (["export", "{tmp}/a-file.txt"], "a-file.txt"),
    (["export", "{tmp}/full"], "full"), (["export", "/proc/magchain-export"], None),
    (["import", "{tmp}/no-such.csv"], "no-such.csv"), (["import", "{tmp}"], None),
    (["source", ""], None), (["facility", "x" * 5000], None), (["company", "\x00"], None),
]


def cases() -> list[dict]:
    out = []
    for values in BAD_DATES:
        for args, option in DATE_COMMANDS:
            out.append({"class": "bad date", "args": [*args, values], "store": "shared", "names": option})
        out.append({"class": "bad date", "args": ["ingest", "{tmp}/article.txt", "--dry-run", "--published", values],
                    "store": "fresh", "names": "--published"})
    for url in BAD_URLS:
        for args in URL_COMMANDS:
            out.append({"class": "bad store URL", "args": args, "store": url, "names": None, "writes": True})
    for name in SCENARIOS:
        for extra in ([], ["--json"]):
            out.append({"class": "bad scenario file", "args": ["scenario", "run", f"{{tmp}}/scenarios/{name}.yaml",
                                                               *extra], "store": "shared", "names": None})
    for name, (file_name, _) in IMPORTS.items():
        for dry in ([], ["--dry-run"]):
            out.append({"class": "bad import file", "args": ["import", f"{{tmp}}/imports/{name}/{file_name}", *dry],
                        "store": "fresh", "names": None, "writes": True})
    for args, names in CLI_BAD:
        out.append({"class": "bad argument", "args": args, "store": "fresh", "names": names, "writes": True})
    for i, case in enumerate(out):
        case["id"] = f"{i:03d}-{case['class'].replace(' ', '-')}"
    return out


if __name__ == "__main__":
    data = {"scenarios": SCENARIOS, "imports": {k: list(v) for k, v in IMPORTS.items()}, "cases": cases()}
    (HERE / "cases.json").write_text(json.dumps(data, ensure_ascii=True, indent=1) + "\n", encoding="utf-8")
    print(f"{len(data['cases'])} cases written")
