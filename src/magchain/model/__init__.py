"""The numeric core: named arrays over declared dimensions, evaluated in one vectorised pass.

Every input the core uses is declared in ``data/model/schema.csv`` (name, dimensions, unit,
meaning, bounds). :class:`magchain.outlook.arrays.ModelInputs` holds them all, built once from
a Chain; the functions here take the arrays they use. A draw dimension, where an input has
one, flows through every step, so a central outlook and a Monte Carlo of a hundred thousand
draws are the same computation.

Example (in a notebook)::

    from magchain.store import Store
    from magchain.outlook import Chain, ModelInputs
    from magchain.model import evaluate
    inputs = ModelInputs.from_chain(Chain.from_store(Store()))
    result = evaluate(inputs, region="US", years=range(2024, 2036))
    result["self_sufficiency"].sel(stage="magnet", year=2028)
"""

from magchain.model.blocks import pack
from magchain.model.core import evaluate, realise

__all__ = ["evaluate", "pack", "realise"]
