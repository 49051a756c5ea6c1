"""Folio: a static site generator for curated archives of republished articles."""

__version__ = "0.1.0"
