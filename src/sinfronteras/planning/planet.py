"""The sparse core's searches over all arcs as Ray actors (``sinfronteras plan --ray [ADDRESS]``).

Ray is optional (``pip install .[planet]``). :class:`RaySource` stands in for
an :class:`~sinfronteras.planning.regions.ArcSource`: a few actors each hold
the problem's arrays (shipped once) and the regions dealt to them; every
search over all arcs (components, each maximum flow's certificate, the
rounding's arcs, each pricing round) is one call per actor, and the
least-distance stage's independent components go out as a few Ray tasks (a
share of the batches each), so there are few, large tasks. The decisions stay on the driver, so the plan is the same as
without Ray.

Ray here. With no address, a local Ray is started for the plan and stopped
after it (only the processes it started: :func:`ray.shutdown`), bound to
127.0.0.1, without the dashboard, with token authentication: a random token
in a private file (``RAY_AUTH_MODE=token``, ``RAY_AUTH_TOKEN_PATH``) that the
head and the driver share. If Ray is already initialised in this process (a
test's module-scoped Ray), that instance is used and left running. With an
address, the driver connects to that cluster (its token comes from the
environment, as Ray reads it).
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import time

from .certify import solve_batches
from .regions import ArcSource, concat

#: Actors at most (each holds a copy of the problem's arrays).
MAX_ACTORS = 4
#: CPU seconds the last plan's actors used (read by the benchmark).
LAST_ACTOR_CPU_S = 0.0


class RayUnavailable(RuntimeError):
    """Ray is not installed: ``pip install .[planet]``."""


def start_local_ray(num_cpus: int | None = None) -> str:
    """Start a local Ray on 127.0.0.1 with a private token file; returns the token file's path."""
    folder = tempfile.mkdtemp(prefix="sinfronteras-ray-")
    token = os.path.join(folder, "token")
    fd = os.open(token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    os.environ.update({
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN_PATH": token,
        "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
        "RAY_USAGE_STATS_ENABLED": "0",
    })
    # Ray reads its settings when first imported: only now.
    try:
        import ray
    except ImportError:  # pragma: no cover - the planet extra is installed in tests
        raise RayUnavailable("--ray needs Ray: pip install 'sinfronteras[planet]'") from None
    ray.init(
        num_cpus=num_cpus or min(os.cpu_count() or 1, MAX_ACTORS),
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
        configure_logging=False,
    )
    return token


class RaySource:
    """An :class:`ArcSource` whose region searches run on Ray actors."""

    def __init__(self, src: ArcSource, address=True, say=None) -> None:
        self.local = src
        self.started = self.token = None
        self.task_cpu = 0.0
        ray = sys.modules.get("ray")
        if ray is None or not ray.is_initialized():
            if address is True:
                self.token = start_local_ray()
            else:
                try:
                    import ray
                except ImportError:
                    raise RayUnavailable("--ray needs Ray: pip install 'sinfronteras[planet]'") from None
                ray.init(address=str(address), log_to_driver=False)
            self.started = True
        import ray
        n = int(max(1, min(MAX_ACTORS, src.n_regions, ray.cluster_resources().get("CPU", 1))))
        worker = ray.remote(num_cpus=0)(_RegionWorker)
        arrays = ray.put(src.a)
        self.actors = [worker.remote(arrays, src.n_regions) for _ in range(n)]
        # Deal the regions round robin (neighbouring regions have similar loads).
        self.deal = [list(range(i, src.n_regions, n)) for i in range(n)]
        if say is not None:
            say(f"ray: {n} actors")

    def __getattr__(self, name):  # n_regions, need_region, a, xyz, ... from the local source
        return getattr(self.local, name)

    def arcs(self, offers=None, needs=None, reach_km=None, regions=None):
        import ray

        calls = [a.arcs.remote(offers, needs, reach_km, d) for a, d in zip(self.actors, self.deal) if d]
        for chunks in ray.get(calls):
            self.local.enumerated += sum(len(c) for c in chunks)
            yield from chunks

    def all_arcs(self, offers=None, needs=None, reach_km=None):
        return concat(list(self.arcs(offers, needs, reach_km)))

    def run_batches(self, work, met, offer_s, k):
        """The least-distance batches (independent components) as a few Ray tasks, in order."""
        import ray

        if len(work) < 2:
            return solve_batches(work, met, offer_s, k)
        n = min(len(self.actors), len(work))
        task = ray.remote(num_cpus=0)(_timed_batches)
        met_ref, s_ref = ray.put(met), ray.put(offer_s)
        groups = [work[i::n] for i in range(n)]
        done = ray.get([task.remote(g, met_ref, s_ref, k) for g in groups])
        out = [None] * len(work)
        for i, (answers, cpu) in enumerate(done):
            out[i::n] = answers
            self.task_cpu += cpu
        return out

    def close(self) -> None:
        import ray

        global LAST_ACTOR_CPU_S
        try:
            LAST_ACTOR_CPU_S = self.task_cpu + float(sum(ray.get([a.cpu.remote() for a in self.actors])))
            for a in self.actors:
                ray.kill(a)
        finally:
            if self.started:
                ray.shutdown()
            if self.token:
                os.remove(self.token)
                os.rmdir(os.path.dirname(self.token))


def _timed_batches(work, met, offer_s, k):
    """A Ray task: :func:`~sinfronteras.planning.certify.solve_batches` and the CPU seconds it took."""
    t = time.process_time()
    answers = solve_batches(work, met, offer_s, k)
    return answers, time.process_time() - t


class _RegionWorker:
    """A Ray actor: the problem's arrays and an :class:`ArcSource` over them."""

    def __init__(self, arrays, n_regions: int) -> None:
        self.src = ArcSource(arrays, n_regions=n_regions)

    def arcs(self, offers, needs, reach_km, regions):
        return list(self.src.arcs(offers, needs, reach_km, regions))

    def cpu(self) -> float:
        return time.process_time()

