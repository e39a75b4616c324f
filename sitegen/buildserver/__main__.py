"""``python -m sitegen.buildserver SPEC``: the server process (started by ``sitegen server
start``; SPEC is the JSON of its default build options and idle timeout)."""

from __future__ import annotations

import json
import os
import sys

from sitegen.buildserver.address import address
from sitegen.buildserver.server import BuildOptions, BuildServer


def main(argv: list[str]) -> int:
    spec = json.loads(argv[0])
    options = BuildOptions.from_message(spec["options"])
    cwd = str(spec["cwd"])
    addr = address(os.path.join(cwd, options.project_dir), create=True)
    server = BuildServer(addr, options, cwd, idle_timeout=float(spec.get("idle_timeout") or 0))
    if not server.claim():
        print("another build server runs for this project", file=sys.stderr)
        return 3
    return server.run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
