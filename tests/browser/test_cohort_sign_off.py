"""On the server pages: one skill signed off for the whole cohort, as the field app does;
a skill already competent shows as done, not as a button (issue 20, friction 5)."""

import pytest

from tests.browser.world import seed
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.own_database]


def _assessments(server) -> list:
    """(participant id, skill code, result) of every assessment on the server."""

    def work():
        from sqlalchemy import select

        from prog_tracker.certification.models import Assessment, Skill
        from prog_tracker.extensions import db

        rows = db.session.execute(
            select(Assessment.participant_id, Skill.code, Assessment.result).join(
                Skill, Skill.id == Assessment.skill_id
            )
        )
        return sorted(tuple(row) for row in rows)

    return server.query(work)


def _first_competent(server, world) -> None:
    """The first learner is competent in seams already (signed off on the tablet)."""

    def work():
        from sqlalchemy import select

        from prog_tracker.auth.models import User
        from prog_tracker.certification.models import Skill
        from prog_tracker.extensions import db
        from prog_tracker.workshops.models import Enrolment
        from tests.factories import Factory

        enrolment = db.session.scalars(
            select(Enrolment).where(Enrolment.participant_id == world.learner_ids[0])
        ).one()
        seams = db.session.scalars(select(Skill).where(Skill.code == "T-2")).one()
        teacher = db.session.scalars(select(User).where(User.username == "teacher")).one()
        Factory().assessment(enrolment.cohort, enrolment.participant, seams, teacher)

    server.query(work)


def test_one_skill_for_the_whole_cohort_once_even_on_a_double_tap(live_server, browser_context):
    world = seed(live_server)
    _first_competent(live_server, world)
    live_server.start()
    context = browser_context(name="teacher")
    answer = context.request.post(
        live_server.url + "/api/v1/auth/login", data={"username": "teacher", "password": PASSWORD}
    )
    assert answer.ok, answer.text()
    page = context.new_page()
    first, *others = world.learner_ids

    # The person's checklist: seams is done (text and icon), with no primary button.
    cohort_page = page.goto(live_server.url + "/cohorts")
    assert cohort_page.ok
    page.get_by_role("link", name="Tailoring morning").first.click()
    page.locator(f'a[href$="/participants/{first}/skills"]').first.click()
    seams = page.locator(".ws-skill").filter(has_text="Seams")
    assert "Done: competent" in seams.locator(".ws-done").inner_text()
    assert seams.locator(".button.primary").count() == 0

    # The whole cohort: the competent one is done, the two others are ticked.
    seams.get_by_role("link", name="This skill for the whole cohort").click()
    page.get_by_role("heading", name="Skill for the cohort").wait_for()
    assert page.locator('input[name="participant_id"]').count() == 2
    for learner in others:
        assert page.locator(f"#p-{learner}").is_checked()
    page.get_by_role("button", name="Sign off this skill for everyone selected").dblclick()
    page.get_by_text("The skill is signed off for 2 people.").wait_for()
    assert page.locator('input[name="participant_id"]').count() == 0
    page.get_by_text("Everyone in the cohort is competent in this skill.").wait_for()

    seams_results = [a for a in _assessments(live_server) if a[1] == "T-2"]
    assert seams_results == sorted((p, "T-2", "competent") for p in world.learner_ids)
