"""Ballot files of a closed proposal: no voter identities, and `sinfronteras tally` agrees with the page."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.urls import reverse

from assembly_helpers import end_window, propose, rank, vote_all
from conftest import make_member
from sinfronteras.assembly.models import Decision
from sinfronteras.choice.cli import main as tally


@pytest.fixture
def voters(la, alice, bob, carla, password_hash):
    return [alice, bob, carla] + [make_member(la, f"vecina{k}", password_hash=password_hash) for k in range(4)]


def download(client, proposal, ext, tmp_path):
    response = client.get(reverse("assembly:ballots", args=[proposal.pk, ext]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="ballots-{proposal.pk}.{ext}"'
    path = tmp_path / f"ballots-{proposal.pk}.{ext}"
    path.write_bytes(response.content)
    return path


def winners_shown(client, proposal) -> str:
    page = client.get(reverse("assembly:results", args=[proposal.pk])).content.decode()
    return page.split('<strong id="winners">')[1].split("</strong>")[0]


@pytest.mark.parametrize("rule", ["schulze", "irv"])
def test_the_tally_command_recounts_an_exported_ranked_vote_to_the_same_winner(
        client, voters, la, tmp_path, rule):
    proposal = propose(voters[0], rule=rule, ballot_mode="open", options="Ana\nBeto\nCruz: the third\nDora")
    vote_all(proposal, [(voters[0], rank(0, 1)), (voters[1], rank(1, 0, 2)), (voters[2], rank(2, 1)),
                        (voters[3], rank(3, 2, 1)), (voters[4], rank(1, 2)), (voters[5], rank(2, 3)),
                        (voters[6], rank(0, 3))])
    client.force_login(voters[1])
    assert client.get(reverse("assembly:ballots", args=[proposal.pk, "toi"])).status_code == 404  # still open
    end_window(proposal)
    shown = winners_shown(client, proposal)
    path = download(client, proposal, "toi", tmp_path)
    text = path.read_text()
    for member in voters:  # an open ballot, and still no names in the file
        assert member.username not in text and member.display_name not in text
    out = subprocess.run([sys.executable, "-m", "sinfronteras.cli", "tally", str(path), "--rule", rule, "--json"],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out)["winners"] == [shown] == Decision.objects.get().winners


def test_an_exported_budget_recounts_to_the_same_projects(client, voters, la, tmp_path, capsys):
    hours = la.resources.get(key="legal-help")
    proposal = propose(voters[0], kind="budget", resource=str(hours.pk), budget="20",
                       options="Know-your-rights night; 8; Boyle Heights\nCourt companions; 12; Echo Park\n"
                               "Clinic; 9.5; Koreatown\nHotline shifts; 4; Echo Park")
    ballots = [[0, 1], [1], [2, 3], [0, 3], [1, 2], [0], [3]]
    vote_all(proposal, [(v, {"approved": b}) for v, b in zip(voters, ballots)])
    end_window(proposal)
    client.force_login(voters[2])
    shown = winners_shown(client, proposal)
    path = download(client, proposal, "pb", tmp_path)
    assert tally([str(path), "--rule", "mes-add1", "--json"]) == 0
    recount = json.loads(capsys.readouterr().out)
    assert ", ".join(recount["winners"]) == shown and recount["winners"] == Decision.objects.get().winners
    text = path.read_text()
    assert "budget;20" in text and "Boyle Heights" in text and "vecina" not in text


def test_an_exported_approval_vote_recounts_to_the_same_winners(client, voters, la, tmp_path, capsys):
    proposal = propose(voters[0], kind="approval", seats="2", options="Mon\nTue\nWed")
    vote_all(proposal, [(voters[0], {"approved": [0, 1]}), (voters[1], {"approved": [2]}),
                        (voters[2], {"approved": [1, 2]}), (voters[3], {"approved": [1]})])
    end_window(proposal)
    client.force_login(voters[0])
    shown = winners_shown(client, proposal)
    path = download(client, proposal, "toi", tmp_path)
    assert tally([str(path), "--rule", "approval", "--seats", "2", "--json"]) == 0
    assert ", ".join(json.loads(capsys.readouterr().out)["winners"]) == shown == "Tue, Wed"


def test_a_yes_or_no_proposal_has_no_ballot_file(client, alice, la):
    proposal = end_window(propose(alice, kind="consent"))
    client.force_login(alice)
    assert client.get(reverse("assembly:ballots", args=[proposal.pk, "toi"])).status_code == 404
    assert client.get(reverse("assembly:ballots", args=[proposal.pk, "pb"])).status_code == 404
