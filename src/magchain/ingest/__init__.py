"""Turn news text into cited supply-chain facts with rules written for the trade press.

Pipeline: :func:`documents.read_document` -> :func:`extract.extract_facts` (which uses the
sentence splitter, the quantity and date parsers and the gazetteer) ->
:func:`evaluate.evaluate` against a hand-annotated gold set.
"""

from magchain.ingest.extract import Fact, extract_facts

__all__ = ["Fact", "extract_facts"]
