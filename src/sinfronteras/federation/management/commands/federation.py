"""sinfronteras federation create NAME | invite | join CODE | status | round --now [-o DIR]

Every form exits 2 with one line on bad input; ``--json`` prints JSON to standard output and
``-o FILE`` writes the output to FILE, except ``round -o DIR``, the one shape that writes a folder
(DIR/problem.json and DIR/plan.json). See ``docs/cli.md``.
"""

from __future__ import annotations

import json
from pathlib import Path

from sinfronteras import cliconv
from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.clicommand import bad_input
from sinfronteras.federation.rounds import do_round, round_due
from sinfronteras.federation.services import (FederationError, do_create_federation, do_invite, do_join,
                                              do_rotate_key, local_peer)
from sinfronteras.federation.status import federation_status
from sinfronteras.federation.wire import digest_from_object
from sinfronteras.members.models import Collective
from sinfronteras.planning.federation import union_problem
from sinfronteras.qr import qr_svg

ACTIONS = ("create", "invite", "join", "status", "round", "qr", "rotate-key")


def _refuse(message: str):
    raise bad_input(message.splitlines()[0] if message else "bad command line")


class Command(ConventionCommand):
    help = "Federate collectives across servers: create, invite, join, status, round --now."
    example = """\
sinfronteras federation create "Sin Fronteras" --collective la --json
sinfronteras federation status --collective la -o status.txt
sinfronteras federation round --now --collective la --json -o round/"""

    def add_arguments(self, parser):
        parser.add_argument("action", help=f"one of {', '.join(ACTIONS)}")
        parser.add_argument("value", nargs="?", help="the federation's NAME (create) or a CODE (join)")
        parser.add_argument("--collective", help="Its slug; may be left out when there is one.")
        cliconv.add_json(parser)
        parser.add_argument("--now", action="store_true", help="round: run a round at once, here.")
        parser.add_argument("--due", action="store_true",
                            help="round: run one only if this collective's turn has come (cron).")
        parser.add_argument("-o", "--output", metavar="FILE|DIR",
                            help="write the output to FILE ('-': standard output); "
                                 "round: write DIR/problem.json and DIR/plan.json.")
        parser.add_argument("--deadline", type=float,
                            help="round: seconds to wait for each peer (FEDERATION_DEADLINE_SECONDS).")
        parser.add_argument("--ray", nargs="?", const=True, default=None, metavar="ADDRESS",
                            help="round: plan the union on its sparse core on Ray (a local one, or ADDRESS).")

    def handle(self, *args, action, value, collective, json: bool, now, output, deadline, due, ray=None,
               **options):
        if action not in ACTIONS:
            _refuse(f"unknown action {action!r}: use one of {', '.join(ACTIONS)}")
        target = self.collective(collective)
        try:
            result = getattr(self, f"do_{action.replace('-', '_')}")(target, value, now=now, output=output,
                                                                   deadline=deadline, due=due, ray=ray)
        except FederationError as exc:
            _refuse(f"federation {action}: {exc}")
        self.show(result, as_json=json, output=None if action == "round" else output)

    def show(self, result: dict, *, as_json: bool, output: str | None = None) -> None:
        lines = []
        for key, item in result.items():
            if isinstance(item, list):
                lines.append(f"{key}:")
                lines.extend("  " + ", ".join(f"{k}: {v}" for k, v in row.items()) for row in item)
            else:
                lines.append(f"{key}: {item}")
        self.emit(result, lines, output=output, as_json=as_json)

    def collective(self, slug):
        if slug:
            found = Collective.objects.filter(slug=slug).first()
            if found is None:
                _refuse(f"--collective {slug!r}: no such collective.")
            return found
        collectives = list(Collective.objects.all()[:2])
        if len(collectives) != 1:
            _refuse("Say which collective with --collective SLUG.")
        return collectives[0]

    # --- the actions ---------------------------------------------------------------------

    def do_create(self, collective, name, **_):
        if not name:
            _refuse("federation create NAME: give the federation a name")
        federation, code = do_create_federation(name, collective)
        return {"federation": federation.name, "invite": code}

    def do_invite(self, collective, value, **_):
        return {"invite": do_invite(local_peer(collective))}

    def do_qr(self, collective, value, **_):
        """The invitation as a QR code (SVG) to show on a screen or print."""
        code = value or do_invite(local_peer(collective))
        return {"invite": code, "svg": qr_svg(code, dark="#000", light=None, border=None)}

    def do_rotate_key(self, collective, value, **_):
        return {"key": do_rotate_key(local_peer(collective))}

    def do_join(self, collective, code, **_):
        if not code:
            _refuse("federation join CODE: give the invitation code")
        do_join(code, collective)
        return federation_status(collective)

    def do_status(self, collective, value, **_):
        return federation_status(collective)

    def do_round(self, collective, value, *, now, output, deadline, due, ray=None, **_):
        if now == due:
            _refuse("federation round: add --now (at once) or --due (when this collective's turn has come)")
        if due and not round_due(local_peer(collective)):
            return {"round": None, "members": [], "digest": None, "due": False}
        if deadline is not None and deadline <= 0:
            _refuse("--deadline: give a number of seconds above 0")
        report = do_round(collective, timeout=deadline, ray=ray)
        if output:
            try:
                write_round(Path(output), report)
            except OSError as exc:
                _refuse(f"-o {output}: cannot write: {exc.strerror or exc}")
        return {"round": report["round"], "members": [
            {"collective": m["collective"], "server": m["server"], "state": m["state"],
             "bytes_sent": m["bytes_sent"], "bytes_received": m["bytes_received"]}
            for m in report["members"]], "digest": report["digest"], "timings": report["timings"]}


def write_round(folder: Path, report: dict) -> None:
    """DIR/problem.json (the union that was planned: totals only) and DIR/plan.json."""
    folder.mkdir(parents=True, exist_ok=True)
    union = union_problem([digest_from_object(d) for d in report["digests"]])
    (folder / "problem.json").write_text(json_dumps(union.to_json()))
    (folder / "plan.json").write_text(json_dumps(report["plan"]))


def json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, default=str)
