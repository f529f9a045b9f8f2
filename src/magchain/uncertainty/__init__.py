"""How sure are we: Monte Carlo over declared input distributions, Sobol indices, scale-out.

:func:`uncertainty` runs a region's outlook over draws; :func:`scenario_uncertainty` a
scenario. Inputs and their distributions are declared in ``data/outlook/distributions.csv``
(plant starts from ``project_history.csv``); draws run on the scheduler asked for
(:mod:`magchain.uncertainty.schedulers`) and give the same numbers on every one.
"""

from magchain.uncertainty.outlook import UncertaintyResult
from magchain.uncertainty.run import uncertainty

__all__ = ["UncertaintyResult", "uncertainty"]
