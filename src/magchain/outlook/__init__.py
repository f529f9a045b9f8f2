"""Outlook: capacity against demand by stage, element, region and year.

Example (in a notebook)::

    from magchain.store import Store
    from magchain.outlook import Chain, outlook
    chain = Chain.from_store(Store(), as_of="2026-01-01")
    result = outlook(chain, region="US", years="2024:2035")
    result.table          # tidy pandas table, one row per year and stage
    result.sentence(2028)
"""

from magchain.outlook.arrays import ModelInputs
from magchain.outlook.chain import Chain
from magchain.outlook.project import Outlook, explain, outlook

__all__ = ["Chain", "ModelInputs", "Outlook", "explain", "outlook"]
