"""Prices: an oxide export market under a quota, with users' stocks, hoarding and thrifting."""
