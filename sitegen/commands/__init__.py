"""One module per subcommand; each attaches itself to ``sitegen.cli.cli``.

A command returns an int exit status when it finished but must still fail
(e.g. ingest read every good seed but one seed was in no known shape).
"""

from sitegen.commands import build, card, deploy, ingest, init, serve  # noqa: F401
