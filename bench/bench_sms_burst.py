"""Does a burst of strangers' SMS slow the site? On loopback, the production setup
(``sinfronteras serve``, gunicorn, HTTPS=1 behind a pretend proxy), with a gateway that
never answers (a phone gone off the network). Times the login page alone, then while N
signed webhooks from unknown numbers arrive at once; and the webhooks themselves.

    python bench/bench_sms_burst.py                 # bursts of 12 and 48, 2 workers x 4 threads

Before the webhook queued every SMS for the worker, 12 strangers made the login page take
29 s (each neutral reply waited 15 s on the gateway inside a request). Measured on the
shared 2-core development machine, SQLite, December 2026:

    login page, alone: median 4 ms, max 97 ms
    burst of 12 strangers' SMS: login page median 5 ms, max 231 ms; webhook median 284 ms
    burst of 48 strangers' SMS: login page median 5 ms, max 1612 ms; webhook median 1561 ms
    (gateway connections from requests: 0)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from production_server import Visitor, free_port, production_env, run_cli, start_server  # noqa: E402
from sms_burst import BlackHole, burst, sms_env  # noqa: E402


def login_times(base: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.monotonic()
        assert Visitor(base).get("/login/").status_code == 200
        times.append(time.monotonic() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bursts", type=int, nargs="+", default=[12, 48])
    options = parser.parse_args()
    hole = BlackHole()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        port = free_port()
        env = production_env(folder, port, DATABASE_URL="", **sms_env(hole))
        run_cli(env, "migrate", "--noinput")
        server = start_server(env, port, folder / "serve.log")
        try:
            login_times(server.base, 3)  # warm up
            alone = login_times(server.base, 20)
            print(f"login page, alone: median {statistics.median(alone) * 1000:.0f} ms, "
                  f"max {max(alone) * 1000:.0f} ms")
            for size in options.bursts:
                found: dict = {}
                thread = threading.Thread(target=lambda: found.update(r=burst(server.base, size)))
                thread.start()
                during = login_times(server.base, 20)
                thread.join()
                hooks = [seconds for _status, _body, seconds in found["r"]]
                print(f"burst of {size} strangers' SMS: login page median "
                      f"{statistics.median(during) * 1000:.0f} ms, max {max(during) * 1000:.0f} ms; "
                      f"webhook median {statistics.median(hooks) * 1000:.0f} ms, max "
                      f"{max(hooks) * 1000:.0f} ms; gateway connections from requests: {hole.accepted}")
        finally:
            server.stop()
            hole.close()


if __name__ == "__main__":
    main()
