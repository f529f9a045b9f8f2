"""Disruption scenarios: cited events, a trade allocation LP (HiGHS), time-to-survive.

``run(chain, find("china-export-controls-2025"))`` gives shortfalls, flows, stockpiles and TTS.
"""

from magchain.scenario.library import find
from magchain.scenario.run import run
from magchain.scenario.spec import load, parse

__all__ = ["find", "load", "parse", "run"]
