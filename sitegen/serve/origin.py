"""Who may open the reload socket: pages of the served origin only.

Any web page the user visits can point an ``EventSource`` or ``WebSocket`` at a local port;
python-livereload accepts every origin. The socket itself reveals little, but the preview
refuses it anyway unless the request comes from the preview's own pages:

- ``Host`` must name this server by a loopback name or an IP literal (not an arbitrary host
  name: that is how DNS rebinding reaches loopback servers) on the port it listens on;
- ``Origin``, which browsers send on every WebSocket opening (and on cross-origin fetches),
  must be ``http://<Host>``;
- ``Sec-Fetch-Site``, when the browser sends it, must say ``same-origin`` (or ``none``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})


def split_host(value: str) -> tuple[str, int | None] | None:
    """``host:port`` / ``[v6]:port`` -> (lower-case host, port); None when malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        host, sep, rest = value[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:] if rest else ""
    else:
        host, _, port_text = value.partition(":")
        if ":" in port_text:
            return None
    if not host:
        return None
    if not port_text:
        return host, None
    if not port_text.isdigit():
        return None
    return host, int(port_text)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def host_allowed(host_header: str | None, bind_host: str, port: int) -> bool:
    """Is ``Host`` this server, as a browser on this machine (or the LAN, if bound so) names it?"""
    if not host_header:
        return False
    parsed = split_host(host_header)
    if parsed is None:
        return False
    host, host_port = parsed
    if (host_port or 80) != port:
        return False
    bind = bind_host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host == bind:
        return True
    return bind in WILDCARD_HOSTS and _is_ip(host)


def socket_allowed(headers: Mapping[str, str], bind_host: str, port: int) -> bool:
    """May this request open the reload socket? (see the module docstring)"""
    host = headers.get("Host")
    if not host_allowed(host, bind_host, port):
        return False
    origin = headers.get("Origin")
    if origin is not None and origin.strip().lower() != f"http://{host.strip().lower()}":
        return False
    site = headers.get("Sec-Fetch-Site")
    return site is None or site.strip().lower() in ("same-origin", "none")
