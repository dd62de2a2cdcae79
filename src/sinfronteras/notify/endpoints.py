"""Which push endpoints the server posts to: browsers' push services, and nothing else.

A push subscription names a URL the worker will POST to. Left open, that is a way to
make the server post anywhere: a loopback port, the cloud's metadata address, the site
itself. So an endpoint must be ``https://`` on port 443, on a host of a known push
service (``PUSH_SERVICES``: Google's, Mozilla's, Apple's, Microsoft's), and the name must
resolve to public addresses only (no private, loopback, link-local, shared, reserved or
multicast range). It is checked when the member subscribes and again at every delivery.

Every refusal reads the same to the member, whatever the reason, so the answers say
nothing about other hosts. ``PUSH_LOOPBACK_FOR_TESTS`` lets the tests' push service on
127.0.0.1 through; `check --deploy` fails while it is on.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class RefusedEndpoint(ValueError):
    """Not the address of a push service this server will post to."""


class Unresolved(RefusedEndpoint):
    """The name does not resolve now (refused at subscription; tried later at delivery)."""


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet.

    >>> [is_public(a) for a in ("142.250.72.106", "10.0.0.8", "127.0.0.1", "169.254.169.254",
    ...                         "100.64.0.1", "::1", "fe80::1", "::ffff:127.0.0.1", "2607:f8b0::1")]
    [True, False, False, False, False, False, False, False, True]
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def is_push_service(host: str, services=None) -> bool:
    """Whether ``host`` is one of the push services (or below one of their domains).

    >>> is_push_service("fcm.googleapis.com"), is_push_service("wns2-bn3p.notify.windows.com")
    (True, True)
    >>> is_push_service("evil-fcm.googleapis.com.example"), is_push_service("169.254.169.254")
    (False, False)
    """
    services = settings.PUSH_SERVICES if services is None else services
    host = host.lower().rstrip(".")
    if "*" in services:
        return True
    return any(host == s or host.endswith("." + s) for s in (s.lower().strip(".") for s in services))


def _loopback_for_tests(parts) -> bool:
    return bool(settings.PUSH_LOOPBACK_FOR_TESTS) and parts.scheme in ("http", "https") \
        and (parts.hostname or "") in LOOPBACK_HOSTS


def check_endpoint(url: str) -> None:
    """Raise ``RefusedEndpoint`` unless the server may post to ``url`` now (resolves it)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RefusedEndpoint("not a URL") from None
    if _loopback_for_tests(parts):
        return
    host = parts.hostname or ""
    if parts.scheme != "https" or parts.username or parts.password or port not in (None, 443):
        raise RefusedEndpoint("not https on port 443")
    if not host or not is_push_service(host):
        raise RefusedEndpoint("not a push service")
    try:
        found = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise Unresolved("does not resolve") from None
    addresses = {info[4][0] for info in found}
    if not addresses or not all(is_public(address) for address in addresses):
        raise RefusedEndpoint("resolves to an address that is not public")
