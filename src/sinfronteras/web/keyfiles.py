"""Key files made on first use on a laptop: once, whole, readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path


def make_once(path: Path, content: bytes) -> None:
    """Write ``content`` to a new file at ``path`` (mode 0600) unless it exists already.

    Two processes starting together both try; the one that comes second keeps the first's.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
