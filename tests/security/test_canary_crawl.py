"""Issue 18: no page, API answer, export or sync pull hands a user a canary.

People outside each role's scope carry unique strings in every field that could
be rendered (tests/security/canary_world.py); people inside carry them too, for
what a role never receives even about its own people (prison numbers for
caseworkers; release-date reasons, contacts and outcomes for instructors). One
crawler per role walks the whole url_map (tests/security/crawler.py) and the
test fails once, listing every answer that carried a canary, or a 5xx.
"""

import time

import pytest

from tests.conftest import signin
from tests.security.canaries import ROLES, SCOPE
from tests.security.canary_world import build_world
from tests.security.crawler import Crawler, initial_scope


@pytest.mark.parametrize("role", ROLES)
def test_no_canary_reaches_the_role(app, make, role):
    world = build_world(make)
    user = world.users[role]
    expected = {world.people[key] for key in SCOPE[role]}
    assert initial_scope(user) == expected, "the world is not seeded as SCOPE says"
    client = app.test_client()
    crawler = Crawler(app, client, signin(client, user), role, world)
    started = time.perf_counter()
    crawler.run()
    report = crawler.report()
    print(f"\n{report}\n({time.perf_counter() - started:.0f}s)")
    assert not crawler.unseen(SCOPE[role]), "the crawl never showed these people in scope"
    assert not crawler.findings, f"{len(crawler.findings)} findings:\n{report}"
