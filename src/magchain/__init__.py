"""magchain: an open, sourced model of the rare-earth permanent-magnet (NdFeB) value chain."""

from magchain.errors import MagchainError, ValidationFailed
from magchain.store import Store

__all__ = ["MagchainError", "Store", "ValidationFailed"]
__version__ = "0.1.0"
