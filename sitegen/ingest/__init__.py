"""Seed shapes -> records -> merged content: ``sitegen ingest``."""
