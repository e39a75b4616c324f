"""Live preview for ``sitegen serve`` (see :mod:`sitegen.serve.server`)."""
