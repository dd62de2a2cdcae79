"""What no log line may carry: a secret that travels in a path (an invitation's token).

``hide_secrets`` serves gunicorn's access log (``web/gunicorn_conf.py``), and every
record the site's own log handler writes (:class:`HideSecretsInRequests`): the
development server's request lines and Django's "Not Found: /join/<token>/" warnings.
"""

from __future__ import annotations

import logging
import re

#: Paths that carry a secret: the secret part is replaced before anything is logged.
SECRET_IN_PATH = re.compile(r"(/join/)[^/\s?]+")


def hide_secrets(path: str) -> str:
    """``/join/abc/`` -> ``/join/…/``: the path (or request line) with any secret blanked out.

    >>> hide_secrets("/join/3xYz-token/")
    '/join/…/'
    >>> hide_secrets("GET /join/3xYz-token/ HTTP/1.1")
    'GET /join/…/ HTTP/1.1'
    >>> hide_secrets("/needs/")
    '/needs/'
    """
    return SECRET_IN_PATH.sub(r"\1…", path)


class HideSecretsInRequests(logging.Filter):
    """Blank any secret in a path out of a log record (its message and its arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(hide_secrets(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = hide_secrets(record.msg)
        return True
