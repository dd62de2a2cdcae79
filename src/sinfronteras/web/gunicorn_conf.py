"""gunicorn settings used by ``sinfronteras serve``.

The access log keeps what an operator needs (time, method, path, status, size,
milliseconds) and nothing DESIGN.md forbids: no IP address, no user agent, no
referrer, no query string, and no secret that travels in a path (an invitation's
token in ``/join/<token>/``).
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from sinfronteras.web.logfilters import hide_secrets

wsgi_app = "sinfronteras.web.wsgi:application"
worker_class = "gthread"
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# The client's address is never needed: the application strips it from every request.
forwarded_allow_ips = "127.0.0.1,::1"
# Files the server creates (its control socket, temporary files) are its own only.
umask = 0o077


class PrivateLogger(Logger):
    """gunicorn's logger, with every atom that could identify someone or carry a secret
    blanked, whatever ``access_log_format`` an operator sets."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = hide_secrets(atoms.get("U", ""))
        atoms.update({"h": "-", "u": "-", "a": "-", "f": "-", "q": "", "U": path,
                      "r": f"{atoms.get('m', '-')} {path} {atoms.get('H', '-')}"})
        for key in list(atoms):
            if key.startswith("{") and key.lower() not in ("{content-type}o", "{content-length}o"):
                atoms[key] = "-"  # request and response headers: cookies, tokens, addresses
        return atoms


logger_class = PrivateLogger

# gunicorn 24+: no control socket in the service's home (systemd's ProtectHome hides it).
control_socket_disable = True
