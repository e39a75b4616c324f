"""sitegen: a static site generator for researcher portfolio pages."""

__version__ = "0.1.0"
