"""The crawl of pages shared by the demo pages test (Django's test client) and the production
test (a real gunicorn over HTTP): breadth-first over internal links from the home page."""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlparse

HREF = re.compile(r'href="([^"]+)"')
#: Links that change something or leave the session: not followed.
SKIP = ("/logout/", "/static/", "/api/", "/two-factor/", "/account/leave/")
MOST = 200
#: Pages of one shape (``/needs/N/``) opened at most: the crawl goes wide, not deep.
PER_SHAPE = 3


def crawl(client, *, on_page=None) -> dict[str, int]:
    """Path -> status of every page reached. ``client.get(path)`` returns something with
    ``status_code``, ``content`` and ``get(header, default)`` (Django's test client does);
    ``on_page(path, response)`` sees every response."""
    seen, queue, shapes = {}, deque(["/"]), Counter()
    while queue and len(seen) < MOST:
        path = queue.popleft()
        shape = re.sub(r"\d+", "N", path)
        if path in seen or shapes[shape] >= PER_SHAPE:
            continue
        shapes[shape] += 1
        response = client.get(path)
        seen[path] = response.status_code
        if on_page is not None:
            on_page(path, response)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            if not href.startswith("/") or href.startswith("//") or href.startswith(SKIP):
                continue
            if href not in seen and urlparse(href).path:
                queue.append(href)
    return seen
