"""SQLite serves concurrent writers: a real threaded server on a SQLite file, 50 writers at once.

Before WAL + busy timeout + IMMEDIATE transactions, a share of simultaneous logins and
votes failed with "database is locked" (a 500).
"""

from __future__ import annotations

import threading

import pytest

from live_sqlite import Browser, serve

pytestmark = pytest.mark.slow

LOGINS, VOTERS, SAME_VOTER_SESSIONS, POSTERS = 15, 10, 5, 20  # 50 writers


def at_once(jobs):
    """Run every job in its own thread, released together; return their results."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def body(i):
        barrier.wait()
        results[i] = jobs[i]()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not any(t.is_alive() for t in threads), "a request hung"
    return results


def test_fifty_concurrent_logins_votes_and_needs_on_a_sqlite_file_get_no_error(tmp_path):
    with serve(tmp_path) as server:
        proposal, area, food = (server.seeds[k] for k in ("proposal", "area", "food"))
        vote_path, need_path = f"/decisions/{proposal}/", "/needs/new/"
        jobs = []
        for i in range(LOGINS):  # m01..m15 log in at the same moment
            browser = Browser(server.url)
            browser.get("/login/")
            jobs.append(lambda b=browser, n=f"m{i + 1:02d}": b.post(
                "/login/", {"username": n, "password": "correct horse battery staple"}))
        voters = [f"m{i:02d}" for i in range(20, 20 + VOTERS)] + ["m30"] * SAME_VOTER_SESSIONS
        for name in voters:  # ten members vote once; m30 votes from five phones at once
            browser = Browser(server.url)
            assert browser.log_in(name)[0] == 302
            browser.get(vote_path)
            jobs.append(lambda b=browser: b.post(vote_path, {"answer": "yes"}))
        for i in range(POSTERS):
            browser = Browser(server.url)
            assert browser.log_in(f"m{40 + i:02d}")[0] == 302
            browser.get(need_path)
            jobs.append(lambda b=browser: b.post(need_path, {
                "resource": food, "quantity": "2", "area": area}))
        assert len(jobs) == 50

        results = at_once(jobs)

        statuses = [status for status, _page in results]
        assert all(status < 500 for status in statuses), statuses
        assert statuses[:LOGINS] == [302] * LOGINS  # every login went through
        assert all(status == 302 for status in statuses[LOGINS:])
        voted = {name for (name,) in server.rows(
            "SELECT m.username FROM assembly_participation p JOIN members_member m "
            "ON m.id = p.member_id WHERE p.proposal_id = ?", proposal)}
        assert voted == set(voters)  # m30 once, though five of their requests raced
        # A secret ballot's choices wait sealed until the close; an open one's are ballots.
        assert server.rows("SELECT (SELECT COUNT(*) FROM assembly_ballot WHERE proposal_id = ?)"
                           " + (SELECT COUNT(*) FROM assembly_sealedchoice WHERE proposal_id = ?)",
                           proposal, proposal) == [(VOTERS + 1,)]
        posted = server.rows("SELECT m.username, n.quantity FROM sharing_need n "
                             "JOIN members_member m ON m.id = n.posted_by_id")
        assert sorted(posted) == [(f"m{40 + i:02d}", 2) for i in range(POSTERS)]
