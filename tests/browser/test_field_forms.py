"""The field app's forms and roll on a phone (issue 20): problems take the focus and lead
to their fields, a double tap saves once, unsent marks show on the session card, the
attendance marks differ by more than colour, and dates read as on the server pages."""

import datetime as dt
import re

import pytest

from tests.browser.world import open_app, seed, sign_in, status, sync_now, wait_for_status

pytestmark = [pytest.mark.browser, pytest.mark.own_database]

# What the focused element is, and whether its box is inside the viewport.
FOCUSED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  return { cls: el.className, tag: el.tagName, name: el.name || '',
           tabindex: el.getAttribute('tabindex'),
           inView: box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0 };
}"""


def _scroll_down_and_save(page, name: str) -> None:
    """Tap Save at the bottom of a long form, as a thumb would (the top is off-screen)."""
    button = page.get_by_role("button", name=name)
    button.scroll_into_view_if_needed()
    assert page.evaluate("() => window.scrollY") > 100, "the form fits the screen: nothing to prove"
    button.click()


def _problem_for(page, field: str) -> str:
    """The inline message the named field (or its group) is described by."""
    return page.evaluate(
        """(name) => {
          const control = document.querySelector(`#main form [name="${name}"]`);
          const ids = (control.getAttribute('aria-describedby') || '').split(' ');
          const message = ids.map((id) => document.getElementById(id))
            .find((el) => el?.dataset.problem !== undefined);
          const invalid = control.getAttribute('aria-invalid') === 'true';
          return invalid && message ? message.textContent : '';
        }""",
        field,
    )


def test_problems_take_the_focus_on_a_phone_and_lead_to_their_fields(live_server, browser_context):
    world = seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")

    open_app(page, f"{live_server.url}/app/people/{world.client_ids[0]}/outcome")
    _scroll_down_and_save(page, "Save the outcome")
    page.wait_for_selector(".fa-problems")
    focused = page.evaluate(FOCUSED)
    assert "fa-problems" in focused["cls"] and focused["tabindex"] == "-1", focused
    assert focused["inView"], "the summary is focused but off-screen"
    assert _problem_for(page, "employment") == "Choose the work situation."
    assert _problem_for(page, "housing") == "Choose the housing situation."
    assert page.get_attribute(
        'fieldset:has([name="housing"])', "aria-describedby"
    ) == page.get_attribute('[name="housing"] >> nth=0', "aria-describedby")

    summary = page.locator(".fa-problems")
    summary.get_by_role("link", name="Choose the housing situation.").click()
    focused = page.evaluate(FOCUSED)
    assert (focused["tag"], focused["name"]) == ("INPUT", "housing"), focused
    # Put right and saved again: the marks go with the problems.
    page.get_by_text("Stable home").click()
    _scroll_down_and_save(page, "Save the outcome")
    page.wait_for_function("() => document.querySelectorAll('#main [data-problem]').length === 1")
    assert _problem_for(page, "housing") == ""
    assert _problem_for(page, "employment") == "Choose the work situation."

    open_app(page, f"{live_server.url}/app/people/{world.client_ids[0]}/contact")
    _scroll_down_and_save(page, "Save the contact")
    page.wait_for_selector(".fa-problems")
    assert page.evaluate(FOCUSED)["inView"]
    assert _problem_for(page, "mode") == "Choose how the contact happened."
    page.locator(".fa-problems").get_by_role("link", name="Choose how").click()
    assert page.evaluate(FOCUSED)["name"] == "mode"


def test_a_double_tap_on_save_stores_one_contact_and_one_session(live_server, browser_context):
    from prog_tracker.aftercare.models import Contact
    from prog_tracker.workshops.models import WorkshopSession

    world = seed(live_server)
    live_server.start()
    context = browser_context()
    page = context.new_page()
    sign_in(page, live_server, "fieldworker")
    context.set_offline(True)  # the outbox keeps what was saved until we look at it
    open_app(page, f"{live_server.url}/app/people/{world.client_ids[1]}/contact")
    page.get_by_text("Phone call").click()
    page.get_by_label("What happened (optional)").fill("Called twice by a shaky thumb")
    # Two taps in one go: the second lands while the first save is still running.
    page.evaluate(
        "() => { const b = document.querySelector('#main form [type=submit]');"
        " b.click(); b.click(); }"
    )
    page.get_by_text("Saved on this device").wait_for()
    wait_for_status(page, "pending", "1")
    page.wait_for_timeout(500)  # a second save would have been stored by now
    assert status(page, "pending") == "1"
    context.set_offline(False)
    sync_now(page)
    assert status(page, "pending") == "0"

    def contacts():
        from sqlalchemy import func, select

        from prog_tracker.extensions import db

        query = select(func.count()).where(Contact.summary == "Called twice by a shaky thumb")
        return db.session.scalar(query)

    assert live_server.query(contacts) == 1

    # The instructor's "Plan today's session": the session of today is removed first.
    def drop_session():
        from prog_tracker.extensions import db

        db.session.delete(db.session.get(WorkshopSession, world.session_id))
        db.session.commit()

    live_server.query(drop_session)
    tablet = browser_context("tablet").new_page()
    sign_in(tablet, live_server, "teacher")
    tablet.context.set_offline(True)
    tablet.get_by_role("button", name="Plan today's session").wait_for()
    tablet.evaluate(
        "() => { const b = [...document.querySelectorAll('#main button')]"
        ".find((x) => x.textContent.includes('Plan')); b.click(); b.click(); }"
    )
    tablet.get_by_role("heading", name="Attendance roll").wait_for()
    wait_for_status(tablet, "pending", "1")
    tablet.wait_for_timeout(500)
    assert status(tablet, "pending") == "1"


def test_the_session_card_counts_the_marks_not_sent_yet(live_server, browser_context):
    world = seed(live_server)
    live_server.start()
    context = browser_context("tablet")
    page = context.new_page()
    sign_in(page, live_server, "teacher")
    context.set_offline(True)
    open_app(page, f"{live_server.url}/app/sessions/{world.session_id}")
    page.get_by_role("group", name=re.compile("Nurova")).get_by_text("Absent").click()
    page.get_by_role("button", name="Save the roll").click()
    page.get_by_text("The roll is saved on this device").wait_for()
    card = page.locator(".fa-session")
    assert "3 of 3 people marked" in card.inner_text()
    assert card.locator(".fa-unsent").inner_text() == "3 not sent yet"

    context.set_offline(False)
    sync_now(page)
    page.wait_for_function("() => !document.querySelector('.fa-session .fa-unsent')")
    assert "3 of 3 people marked" in card.inner_text()


def _luminance(rgb: str) -> float:
    """The relative luminance of a CSS rgb() colour (WCAG 2)."""
    channels = [int(x) / 255 for x in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_late_excused_and_sick_differ_by_sign_and_colour(live_server, browser_context):
    world = seed(live_server)
    live_server.start()
    page = browser_context("tablet").new_page()
    sign_in(page, live_server, "teacher")
    open_app(page, f"{live_server.url}/app/sessions/{world.session_id}")
    looks = {}
    for family, mark in (("Bekov", "Late"), ("Nurova", "Excused"), ("Ospanov", "Sick")):
        label = page.get_by_role("group", name=re.compile(family)).locator("label", has_text=mark)
        label.click()  # one tap chooses it: nothing to open first
        looks[mark] = label.evaluate(
            """(el) => {
              const style = getComputedStyle(el);
              return { checked: el.control.checked, bg: style.backgroundColor, fg: style.color,
                       sign: getComputedStyle(el, '::before').content };
            }"""
        )
    assert all(look["checked"] for look in looks.values()), looks
    assert len({look["bg"] for look in looks.values()}) == 3, looks
    assert len({look["sign"] for look in looks.values()}) == 3, looks
    assert all(look["sign"] not in ("none", "normal", '""') for look in looks.values()), looks
    for mark, look in looks.items():
        assert _contrast(look["bg"], look["fg"]) >= 4.5, (mark, look)


def test_the_heading_a_new_screen_focuses_is_ringed_in_the_house_style(
    live_server, browser_context
):
    world = seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    page.get_by_role("link", name=re.compile("Aigerim")).first.click()
    heading = page.get_by_role("heading", level=1, name="Aigerim Sadykova")
    heading.wait_for()
    assert world.client_ids[0] in page.url
    ring = heading.evaluate(
        """(el) => {
          const s = getComputedStyle(el);
          return [document.activeElement === el, s.outlineStyle, s.outlineWidth, s.outlineColor];
        }"""
    )
    assert ring == [True, "solid", "3px", "rgb(242, 169, 0)"], ring  # --focus in css/app.css


@pytest.mark.parametrize("locale", ["kk", "ar"])
def test_dates_in_the_field_app_read_as_on_the_server_pages(live_server, browser_context, locale):
    world = seed(live_server)
    known = dt.date(2025, 12, 2)

    def prepare():
        from flask_babel import force_locale
        from sqlalchemy import select

        from prog_tracker.aftercare.models import Contact
        from prog_tracker.auth.models import User
        from prog_tracker.core.i18n import format_day, format_local_datetime
        from prog_tracker.extensions import db
        from prog_tracker.participants.models import Participant

        user = db.session.scalars(select(User).where(User.username == "fieldworker")).one()
        user.locale = locale
        person = db.session.get(Participant, world.client_ids[0])
        person.actual_release_date = known
        contact = db.session.get(Contact, world.contact_id)
        contact.occurred_at = dt.datetime(2025, 12, 3, 14, 5, tzinfo=dt.UTC)
        db.session.commit()
        with force_locale(locale):
            return format_day(known), format_local_datetime(contact.occurred_at, person.facility)

    day, moment = live_server.query(prepare)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    open_app(page, f"{live_server.url}/app/people/{world.client_ids[0]}")
    page.wait_for_function("(code) => document.documentElement.lang === code", arg=locale)
    page.locator(".fa-entry-head").first.wait_for()
    assert page.locator("dl.details dd").nth(1).inner_text() == day
    assert moment in page.locator(".fa-entry-head").first.inner_text()
