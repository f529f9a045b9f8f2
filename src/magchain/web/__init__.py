"""The web layer: a REST API (FastAPI) over :class:`magchain.service.Service`, and its pages."""
