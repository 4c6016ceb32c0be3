"""The expansion's resumable state, carried between runs as an opaque cursor string.

``seen`` holds an 8-byte hash of every URL emitted so far (about 108 KB of cursor for
10,000 items), so a resumed run does not emit a URL twice.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import dataclass, field

from services.batcher.sources.spec import SourceError

__all__ = ["ExpansionState", "url_key", "emitted_before"]


def url_key(url: str) -> bytes:
    return hashlib.blake2b(url.encode(), digest_size=8).digest()


@dataclass(slots=True)
class ExpansionState:
    queue: list[tuple[str, str, int]]  # (kind, url, depth or page number); front = current
    skip: int = 0  # candidates of the front document already handled
    emitted: int = 0
    bytes_used: int = 0
    seconds_used: float = 0.0
    seen: set[bytes] = field(default_factory=set)

    def encode(self) -> str:
        data = {
            "q": [list(entry) for entry in self.queue],
            "s": self.skip,
            "n": self.emitted,
            "b": self.bytes_used,
            "t": round(self.seconds_used, 3),
            "h": base64.b64encode(b"".join(sorted(self.seen))).decode(),
        }
        return base64.urlsafe_b64encode(zlib.compress(json.dumps(data).encode())).decode()

    @classmethod
    def decode(cls, cursor: str) -> ExpansionState:
        try:
            data = json.loads(zlib.decompress(base64.urlsafe_b64decode(cursor.encode())))
            hashes = base64.b64decode(data["h"])
            return cls(
                queue=[(str(k), str(u), int(d)) for k, u, d in data["q"]],
                skip=int(data["s"]),
                emitted=int(data["n"]),
                bytes_used=int(data["b"]),
                seconds_used=float(data["t"]),
                seen={hashes[i : i + 8] for i in range(0, len(hashes), 8)},
            )
        except (ValueError, KeyError, TypeError, zlib.error) as exc:
            raise SourceError("The expansion cursor is damaged; start the source again") from exc


def emitted_before(cursor: str | None) -> int:
    """How many items the expansion emitted before ``cursor`` (0 at the start): a batch stores one
    row per item, so the next page's first row is this + 1, however a crashed run left the rows."""
    return ExpansionState.decode(cursor).emitted if cursor else 0
