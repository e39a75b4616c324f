"""Put the reload client (and, while a build is failing, the error overlay) into HTML.

This happens only in responses of ``sitegen serve``, on the fly: files on disk stay exactly
what ``sitegen build`` writes, so a site deployed from a folder that was previewed never
carries the preview's script.
"""

from __future__ import annotations

from html import escape

CLIENT_PATH = "/__sitegen/livereload.js"
SOCKET_PATH = "/__sitegen/socket"
RESERVED_PREFIX = "/__sitegen/"


def client_tag(generation: int) -> str:
    """The script element; ``generation`` tells the client which build the page shows."""
    return (
        f'<script src="{escape(CLIENT_PATH)}" data-generation="{int(generation)}" '
        f'data-socket="{escape(SOCKET_PATH)}"></script>'
    )


def inject(html: bytes, snippet: str) -> bytes:
    """Insert ``snippet`` before the last ``</body>`` (else ``</html>``, else at the end)."""
    data = snippet.encode("utf-8")
    lowered = html.lower()
    for marker in (b"</body", b"</html"):
        at = lowered.rfind(marker)
        if at != -1:
            return html[:at] + data + html[at:]
    return html + data
