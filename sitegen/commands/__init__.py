"""One module per subcommand; each attaches itself to ``sitegen.cli.cli`` when imported.

The CLI imports a command's module only when that command runs (see ``sitegen.cli``), so
a module here may import what its command needs at the top without slowing the others.
A command returns an int exit status when it finished but must still fail
(e.g. ingest read every good seed but one seed was in no known shape).
"""

#: Command name -> module in this package that defines it.
COMMANDS = {name: name for name in ("build", "card", "deploy", "ingest", "init", "serve", "server")}
