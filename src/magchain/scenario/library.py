"""The scenarios shipped with magchain, and finding a scenario by name or file."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from magchain.errors import NotFound
from magchain.scenario.spec import Scenario, load, parse

LIBRARY = resources.files("magchain") / "data" / "scenarios"


def names() -> list[str]:
    return sorted(p.name.removesuffix(".yaml") for p in LIBRARY.iterdir() if p.name.endswith(".yaml"))


def scenarios() -> list[Scenario]:
    return [find(name) for name in names()]


@cache
def _shipped(name: str) -> Scenario:
    """A shipped scenario, parsed once (the package's files do not change while it runs;
    runs copy a scenario before changing it)."""
    return parse((LIBRARY / f"{name}.yaml").read_text(encoding="utf-8"), f"{name}.yaml")


def find(name_or_path: str) -> Scenario:
    """A shipped scenario by name, else a YAML file by path."""
    if (LIBRARY / f"{name_or_path}.yaml").is_file():
        return _shipped(name_or_path)
    path = Path(name_or_path)
    if path.is_file():
        return load(path)
    raise NotFound(f"No scenario '{name_or_path}': not a shipped scenario ({', '.join(names())}) "
                        "and not a file. Run `magchain scenario list`.")
