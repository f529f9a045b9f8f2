#!/usr/bin/env python3
"""Check the gold files in gold/seeds/: keys, vocabularies, and evidence offsets.

Standard library only. Prints fact counts per kind (per document and in total) and
exits with status 1 if any check fails.
"""
import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "seeds"
DOCS = HERE.parent / "src" / "magchain" / "data" / "seeds"

KEYS = {"kind", "company", "facility", "country", "stage", "quantity", "quantity_high", "unit",
        "qualifier", "material", "year", "status", "agency", "evidence", "start", "end"}
OPTIONAL = {"usd"}
KINDS = ["capacity", "production", "plant_status", "funding", "offtake", "export_control",
         "trade_flow", "price", "price_floor", "demand_forecast", "stockpile", "recycling"]
STAGES = {None, "mine", "separation", "metal", "alloy", "magnet", "recycling"}
QUALIFIERS = {None, "more_than", "less_than", "about", "up_to"}
STATUSES = {None, "operating", "under_construction", "planned", "announced", "commissioning",
            "delayed", "closed"}


def main():
    errors = []
    counts = collections.OrderedDict()
    files = sorted(GOLD.glob("*.json"))
    if not files:
        errors.append(f"no gold files in {GOLD}")
    for path in files:
        where = path.name
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            errors.append(f"{where}: invalid JSON: {exc}")
            continue
        if set(doc) != {"document", "published", "facts"}:
            errors.append(f"{where}: top-level keys {sorted(doc)}")
            continue
        if doc["document"] != path.stem + ".txt":
            errors.append(f"{where}: document {doc['document']!r} does not match file name")
        pub = doc["published"]
        if pub is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(pub)):
            errors.append(f"{where}: published {pub!r} is not YYYY-MM-DD or null")
        src = DOCS / doc["document"]
        if not src.is_file():
            errors.append(f"{where}: source document {src} missing")
            continue
        text = open(src, encoding="utf-8").read()
        per_kind = collections.Counter()
        seen = set()
        for i, f in enumerate(doc["facts"]):
            tag = f"{where} fact {i}"
            if not isinstance(f, dict):
                errors.append(f"{tag}: not an object")
                continue
            keys = set(f)
            if not KEYS <= keys or keys - KEYS - OPTIONAL:
                errors.append(f"{tag}: keys missing {sorted(KEYS - keys)} extra {sorted(keys - KEYS - OPTIONAL)}")
                continue
            if f["kind"] not in KINDS:
                errors.append(f"{tag}: unknown kind {f['kind']!r}")
            if f["stage"] not in STAGES:
                errors.append(f"{tag}: unknown stage {f['stage']!r}")
            if f["qualifier"] not in QUALIFIERS:
                errors.append(f"{tag}: unknown qualifier {f['qualifier']!r}")
            if f["status"] not in STATUSES:
                errors.append(f"{tag}: unknown status {f['status']!r}")
            for k in ("quantity", "quantity_high", "usd"):
                if f.get(k) is not None and not isinstance(f[k], float):
                    errors.append(f"{tag}: {k} is not a float")
            if f["quantity"] is not None and f["unit"] is None:
                errors.append(f"{tag}: quantity without unit")
            if "usd" in f and f["unit"] == "USD":
                errors.append(f"{tag}: usd given for an amount already in USD")
            if f["year"] is not None and not (isinstance(f["year"], int) and 1900 <= f["year"] <= 2100):
                errors.append(f"{tag}: bad year {f['year']!r}")
            if f["country"] is not None and not re.fullmatch(r"[A-Z]{2}", f["country"]):
                errors.append(f"{tag}: bad country {f['country']!r}")
            s, e = f["start"], f["end"]
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                errors.append(f"{tag}: bad offsets {s!r}, {e!r}")
            elif text[s:e] != f["evidence"]:
                errors.append(f"{tag}: text[{s}:{e}] != evidence")
            key = json.dumps(f, sort_keys=True)
            if key in seen:
                errors.append(f"{tag}: duplicate fact")
            seen.add(key)
            per_kind[f["kind"]] += 1
        counts[doc["document"]] = per_kind

    total = collections.Counter()
    for name, c in counts.items():
        total.update(c)
        print(f"{name}: {sum(c.values())} facts  " + ", ".join(f"{k}={c[k]}" for k in KINDS if c[k]))
    print(f"TOTAL: {sum(total.values())} facts")
    for k in KINDS:
        print(f"  {k:16s} {total[k]}")
    if errors:
        print(f"\n{len(errors)} error(s):", file=sys.stderr)
        for err in errors:
            print("  " + err, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
