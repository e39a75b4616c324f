"""``python -m sitegen.buildserver SPEC``: the server process (started by ``sitegen server
start``; SPEC is the JSON of its default build options and idle timeout)."""

from __future__ import annotations

import json
import os
import sys
import time

from sitegen.buildserver import client
from sitegen.buildserver.address import address
from sitegen.buildserver.server import BuildServer
from sitegen.buildserver.wire import BuildOptions

#: How long a new server waits for the lock of one that is still finishing.
CLAIM_WAIT = 10.0


def main(argv: list[str]) -> int:
    spec = json.loads(argv[0])
    options = BuildOptions.from_message(spec["options"])
    cwd = str(spec["cwd"])
    addr = address(os.path.join(cwd, options.project_dir), create=True)
    server = BuildServer(addr, options, cwd, idle_timeout=float(spec.get("idle_timeout") or 0))
    server.can_exec = True
    # Hold no folder: the one the server was started from may be deleted while it runs
    # (each build runs in its client's folder).
    os.chdir("/")
    deadline = time.monotonic() + CLAIM_WAIT
    while not server.claim():
        if client.ask(addr, {"op": "ping"}) is not None or time.monotonic() > deadline:
            print("another build server runs for this project", file=sys.stderr)
            return 3
        time.sleep(0.05)  # a server that is stopping still holds the lock
    return server.run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
