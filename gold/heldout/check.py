#!/usr/bin/env python3
"""Check the held-out gold files in gold/heldout/: keys, vocabularies, evidence offsets.

Standard library only. For every <slug>.json next to this script it checks the top-level
keys, that docs/<slug>.txt exists, that every fact has exactly the required keys (plus the
optional `usd`), that kind/stage/qualifier/status are in the vocabularies, that value types
are right, that text[start:end] == evidence, and that no fact is duplicated. Prints counts per
kind and exits 1 on any failure.
"""
import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"

TOP = ["document", "published", "title", "publisher", "url", "facts"]
KEYS = {"kind", "company", "facility", "country", "stage", "quantity", "quantity_high", "unit",
        "qualifier", "material", "year", "status", "agency", "evidence", "start", "end"}
OPTIONAL = {"usd"}
KINDS = ["capacity", "production", "plant_status", "funding", "offtake", "export_control",
         "trade_flow", "price", "price_floor", "demand_forecast", "stockpile", "recycling"]
STAGES = {None, "mine", "separation", "metal", "alloy", "magnet", "recycling"}
QUALIFIERS = {None, "more_than", "less_than", "about", "up_to"}
STATUSES = {None, "operating", "under_construction", "planned", "announced", "commissioning",
            "delayed", "closed"}
NEEDS_NUMBER = {"capacity", "production", "trade_flow", "demand_forecast"}


def is_num(v):
    return v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))


def main():
    errors = []
    total = collections.Counter()
    files = sorted(HERE.glob("*.json"))
    if len(files) != 5:
        errors.append(f"expected 5 gold files, found {len(files)}")
    for path in files:
        where = path.name
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            errors.append(f"{where}: invalid JSON: {exc}")
            continue
        if list(doc) != TOP:
            errors.append(f"{where}: top-level keys {list(doc)} != {TOP}")
            continue
        if doc["document"] != path.stem + ".txt":
            errors.append(f"{where}: document {doc['document']!r} does not match file name")
        pub = doc["published"]
        if pub is not None and not re.fullmatch(r"(19|20)\d{2}-\d{2}-\d{2}", str(pub)):
            errors.append(f"{where}: published {pub!r} is not YYYY-MM-DD or null")
        for k in ("title", "publisher", "url"):
            if not isinstance(doc[k], str) or not doc[k]:
                errors.append(f"{where}: {k} must be a non-empty string")
        src = DOCS / doc["document"]
        if not src.is_file():
            errors.append(f"{where}: source document {src} missing")
            continue
        text = open(src, encoding="utf-8").read()
        if text.splitlines()[0] != doc["title"]:
            errors.append(f"{where}: first line of the document is not the title")
        if not isinstance(doc["facts"], list):
            errors.append(f"{where}: facts is not a list")
            continue
        per_kind = collections.Counter()
        seen = set()
        for i, f in enumerate(doc["facts"]):
            tag = f"{where} fact {i}"
            if not isinstance(f, dict):
                errors.append(f"{tag}: not an object")
                continue
            missing, extra = KEYS - set(f), set(f) - KEYS - OPTIONAL
            if missing or extra:
                errors.append(f"{tag}: missing {sorted(missing)} extra {sorted(extra)}")
                continue
            if f["kind"] not in KINDS:
                errors.append(f"{tag}: unknown kind {f['kind']!r}")
            if f["stage"] not in STAGES:
                errors.append(f"{tag}: bad stage {f['stage']!r}")
            if f["qualifier"] not in QUALIFIERS:
                errors.append(f"{tag}: bad qualifier {f['qualifier']!r}")
            if f["status"] not in STATUSES:
                errors.append(f"{tag}: bad status {f['status']!r}")
            for k in ("quantity", "quantity_high", "usd"):
                if not is_num(f.get(k)):
                    errors.append(f"{tag}: {k} is not a number or null")
            if f["year"] is not None and not (isinstance(f["year"], int) and 1900 <= f["year"] <= 2100):
                errors.append(f"{tag}: bad year {f['year']!r}")
            if f["country"] is not None and not re.fullmatch(r"[A-Z]{2}", f["country"]):
                errors.append(f"{tag}: country {f['country']!r} is not alpha-2")
            for k in ("company", "facility", "unit", "material", "agency"):
                if f[k] is not None and not isinstance(f[k], str):
                    errors.append(f"{tag}: {k} is not a string or null")
            if f["kind"] in NEEDS_NUMBER and f["quantity"] is None:
                errors.append(f"{tag}: {f['kind']} needs a quantity")
            if f["quantity"] is not None and f["unit"] is None:
                errors.append(f"{tag}: quantity without unit")
            s, e, ev = f["start"], f["end"], f["evidence"]
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                errors.append(f"{tag}: bad offsets {s}..{e}")
            elif text[s:e] != ev:
                errors.append(f"{tag}: text[{s}:{e}] != evidence: {text[s:e][:60]!r} vs {ev[:60]!r}")
            key = json.dumps({k: f[k] for k in sorted(f)}, sort_keys=True)
            if key in seen:
                errors.append(f"{tag}: duplicate fact")
            seen.add(key)
            per_kind[f["kind"]] += 1
        total.update(per_kind)
        print(f"{where}: {sum(per_kind.values())} facts " +
              ", ".join(f"{k}={per_kind[k]}" for k in KINDS if per_kind[k]))
    print("total: " + ", ".join(f"{k}={total[k]}" for k in KINDS) + f" | all={sum(total.values())}")
    if errors:
        for err in errors:
            print("FAIL:", err, file=sys.stderr)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
