"""Element content and magnet-equivalent tonnes of each stage's material.

Quantities are tracked per element (NdPr and Dy+Tb, as contained metal) and converted to
magnet-equivalent tonnes: the finished NdFeB magnet that the stage's output could become
after the downstream yields. Tonnes of different materials are never added directly.
Stoichiometry is pure chemistry; every other factor comes from ``factors.csv``.
"""

from __future__ import annotations

from magchain.errors import MagchainError
from magchain.vocab import STAGES

ATOMIC_MASS = {"Nd": 144.24, "Pr": 140.91, "Dy": 162.50, "Tb": 158.93, "O": 16.00}
ND_SHARE_OF_NDPR = 0.75  # Nd:Pr 75:25, the usual NdPr oxide specification (reference parameter, fastmarkets_apr2024)


def _element_fraction(metal: str, n_metal: int, n_oxygen: int) -> float:
    metal_mass = n_metal * ATOMIC_MASS[metal]
    return metal_mass / (metal_mass + n_oxygen * ATOMIC_MASS["O"])


# Mass fraction of the element in its usual oxide: Nd2O3, Pr6O11, Dy2O3, Tb4O7.
ND_IN_OXIDE = _element_fraction("Nd", 2, 3)
PR_IN_OXIDE = _element_fraction("Pr", 6, 11)
DY_IN_OXIDE = _element_fraction("Dy", 2, 3)
TB_IN_OXIDE = _element_fraction("Tb", 4, 7)
NDPR_IN_OXIDE = ND_SHARE_OF_NDPR * ND_IN_OXIDE + (1 - ND_SHARE_OF_NDPR) * PR_IN_OXIDE
DYTB_IN_OXIDE = (DY_IN_OXIDE + TB_IN_OXIDE) / 2  # the two differ by 0.02; sources give Dy+Tb together

ELEMENTS = ("NdPr", "DyTb")

# What each material basis contains, as (kind, factor name or None):
#   'oxide_total': tonnes of mixed REO -> NdPr oxide via the ore share, then to element
#   'ndpr_oxide': tonnes of NdPr oxide (or its content in an intermediate) -> element
#   'metal': tonnes of NdPr metal = element
#   'magnet_body': tonnes of alloy or magnet -> element via the magnet composition
#   'blank': tonnes of sintered blanks -> the element that reaches finished magnets (composition x
#            machining yield; the rest leaves as swarf). China's industry counts its output in blanks
#   'scrap_feed': tonnes of magnet scrap fed to recycling -> magnet-equivalent via recycling yield
MATERIAL_KIND = {
    "REO": "oxide_total",
    "separated_REO": "oxide_total",
    "magnet_REO": "ndpr_oxide",
    "NdPr_oxide": "ndpr_oxide",
    "NdPr_oxide_eq": "ndpr_oxide",
    "RE_metal": "metal",
    "NdPr_metal": "metal",
    "NdFeB_alloy": "magnet_body",
    "magnet": "magnet_body",
    "magnet_blank": "blank",
    "feed": "scrap_feed",
}
DYTB_KIND = {"DyTb_oxide": "oxide", "DyTb": "element"}


class Converter:
    """Turns a stage's tonnes of its own material into element tonnes and magnet-equivalent tonnes."""

    def __init__(self, factors: dict[str, float]):
        self.f = factors

    @classmethod
    def central(cls, chain, which: str = "value") -> Converter:
        return cls({name: getattr(factor, which) for name, factor in chain.factors.items()})

    def ndpr_element(self, tonnes: float, material: str, ore_share: float | None = None) -> float:
        """Contained NdPr (metal basis) in ``tonnes`` of ``material``."""
        kind = MATERIAL_KIND.get(material)
        if kind == "oxide_total":
            share = ore_share if ore_share is not None else self.f["ndpr_share_of_treo"]
            return tonnes * share * NDPR_IN_OXIDE
        if kind == "ndpr_oxide":
            return tonnes * NDPR_IN_OXIDE
        if kind == "metal":
            return tonnes
        if kind == "magnet_body":
            return tonnes * self.f["ndpr_wt_magnet"]
        if kind == "blank":
            return tonnes * self.f["ndpr_wt_magnet"] * self.f["machining_yield"]
        if kind == "scrap_feed":
            return tonnes * self.f["recycling_yield"] * self.f["ndpr_wt_magnet"]
        raise MagchainError(f"No NdPr conversion for material '{material}'")

    def downstream_yield(self, stage: str) -> float:
        """Share of a stage's contained NdPr that reaches finished magnets."""
        f = self.f
        chain = {
            "mine": f["separation_recovery"] * f["oxide_to_metal_yield"] * f["metal_to_alloy_yield"] * f["machining_yield"],
            "separation": f["oxide_to_metal_yield"] * f["metal_to_alloy_yield"] * f["machining_yield"],
            "metal": f["metal_to_alloy_yield"] * f["machining_yield"],
            "alloy": f["machining_yield"],
            "magnet": 1.0,
            "recycling": 1.0,
        }
        if stage not in chain:
            raise MagchainError(f"Unknown stage '{stage}'; stages are {', '.join(STAGES)}")
        return chain[stage]

    def magnet_equivalent(self, ndpr_element_t: float, stage: str) -> float:
        """Finished magnet tonnes that a stage's NdPr could become, NdPr being the limiting element."""
        return ndpr_element_t * self.downstream_yield(stage) / self.f["ndpr_wt_magnet"]

    def dytb_element(self, tonnes: float, material: str) -> float:
        kind = DYTB_KIND.get(material)
        return tonnes * DYTB_IN_OXIDE if kind == "oxide" else tonnes
