"""The records the field-app tests work on, and the UI steps they repeat."""

from dataclasses import dataclass

from tests.factories import PASSWORD, Factory


@dataclass
class FieldWorld:
    """Ids of what the tests touch (records live in the server's database)."""

    session_id: str
    learner_ids: list
    client_ids: list
    consent_ids: list
    contact_id: str


def seed(server) -> FieldWorld:
    """A tailoring cohort with a session today (teacher) and two released people (fieldworker)."""

    def work():
        from sqlalchemy import select

        from prog_tracker.extensions import db
        from prog_tracker.partners.models import Consent

        make = Factory()
        facility = make.facility(country="KZ", timezone="UTC")
        organisation = make.organisation(country="KZ", name="Road Home")
        teacher = make.user("instructor", facility=facility, username="teacher")
        fieldworker = make.user("caseworker", organisation=organisation, username="fieldworker")
        make.user("caseworker", organisation=organisation, username="colleague")
        make.user("officer", facility=facility, username="officer")
        make.user("caseworker", organisation=organisation, username="other.worker")
        trade = make.trade(name="Tailoring")
        skills = [
            make.skill(trade, code="T-1", title="Measuring"),
            make.skill(trade, code="T-2", title="Seams"),
        ]
        qualification = make.qualification(trade, skills=skills, title="Tailoring level 1")
        cohort = make.cohort(
            facility,
            instructors=[teacher],
            trade=trade,
            qualification_id=qualification.id,
            title="Tailoring morning",
        )
        learners = [
            make.participant(facility=facility, given_name=given, family_name=family)
            for given, family in (("Ayan", "Bekov"), ("Madina", "Nurova"), ("Timur", "Ospanov"))
        ]
        for learner in learners:
            make.enrolment(cohort, learner)
        session = make.session(cohort, topic="Straight seams")
        clients = [
            make.client_of(
                fieldworker,
                make.participant(facility=facility, given_name=given, family_name=family),
            )
            for given, family in (("Aigerim", "Sadykova"), ("Dana", "Ermek"))
        ]
        contact = make.contact(clients[0], fieldworker, summary="First visit at home")
        consents = [
            db.session.scalars(select(Consent.id).where(Consent.participant_id == c.id)).one()
            for c in clients
        ]
        return FieldWorld(
            session.id, [p.id for p in learners], [c.id for c in clients], consents, contact.id
        )

    return server.query(work)


# The worker is active (its cache filled). A page that loaded while it was installing is
# not controlled by it until reloaded, which matters not: the next load, offline or not, is.
SERVICE_WORKER_READY = (
    "async () => (await navigator.serviceWorker.ready).active.state === 'activated'"
)


def rounds(page) -> int:
    """How many sync rounds the app has finished."""
    return int(page.get_attribute("#fa-status", "data-rounds") or 0)


def wait_for_round(page, after: int) -> None:
    """Wait until a sync round after `after` has finished."""
    page.wait_for_function(
        "n => Number(document.getElementById('fa-status').dataset.rounds || 0) > n", arg=after
    )


def sync_now(page) -> None:
    """Press Sync now (once no round is running) and wait for that round to end."""
    button = page.locator(".fa-sync-now")
    page.wait_for_function("() => !document.querySelector('.fa-sync-now').disabled")
    before = rounds(page)
    button.click()
    wait_for_round(page, before)


def status(page, key: str) -> str:
    """A data-* value of the status bar (pending, attention, error)."""
    return page.get_attribute("#fa-status", f"data-{key}") or ""


def wait_for_status(page, key: str, value: str) -> None:
    """Wait until the status bar shows value (it redraws after the device store answers)."""
    page.wait_for_selector(f'#fa-status[data-{key}="{value}"]', state="attached")


# The device PIN the tests choose (SPEC §11: six digits, no repeat, no run).
PIN = "204913"
# A screen is drawn: its heading, or the lock screen's form.
DRAWN = "() => document.querySelector('#main h1') || document.querySelector('#main form.fa-lock')"
HOME = r"/app/(caseload|sessions)$"


def choose_pin(page, pin: str = PIN) -> None:
    """Fill in the PIN screen that follows a first sign-in on a device."""
    page.locator("form.fa-lock input[name=pin]").fill(pin)
    page.locator("form.fa-lock input[name=repeat]").fill(pin)
    page.locator("form.fa-lock button[type=submit]").click()


def unlock(page, pin: str = PIN) -> None:
    """Unlock the app with its PIN (the lock screen must be showing)."""
    page.locator("form.fa-lock input[name=pin]").fill(pin)
    page.locator("form.fa-lock button[type=submit]").click()
    page.wait_for_function(
        "() => !document.querySelector('#main form.fa-lock') && document.querySelector('#main h1')"
    )


def is_locked(page) -> bool:
    """True when the lock screen asks for the PIN (not for a new one)."""
    asks = page.locator("form.fa-lock input[name=pin]").count()
    return bool(asks) and not page.locator("form.fa-lock input[name=repeat]").count()


def unlock_if_locked(page, pin: str = PIN) -> None:
    """Once the app has drawn its first screen: unlock it if that is the lock screen."""
    page.wait_for_function(DRAWN)
    if is_locked(page):
        unlock(page, pin)


def open_app(page, url: str, pin: str = PIN) -> None:
    """Load a page of the app (every load starts locked) and unlock it."""
    page.goto(url)
    unlock_if_locked(page, pin)


def _wait_across_reload(page, script: str, arg=None) -> None:
    """wait_for_function, again if a reload (the app restarting in the user's language)
    destroyed the page it was waiting in."""
    for _ in range(3):
        try:
            page.wait_for_function(script, arg=arg)
            return
        except Exception as error:  # only a reload's error is retried
            if "destroyed" not in str(error) and "navigat" not in str(error):
                raise
            page.wait_for_load_state()
    page.wait_for_function(script, arg=arg)


def finish_sign_in(page, pin: str = PIN, home: str = HOME) -> None:
    """After "Sign in": choose the PIN on a first sign-in, unlock after a reload into the
    user's language, and wait for the home screen."""
    for _ in range(4):
        _wait_across_reload(
            page,
            "home => new RegExp(home).test(location.pathname)"
            " || document.querySelector('#main form.fa-lock')",
            home,
        )
        if not page.locator("#main form.fa-lock").count():
            return
        if page.locator("form.fa-lock input[name=repeat]").count():
            choose_pin(page, pin)
            chosen = "() => !document.querySelector('form.fa-lock input[name=repeat]')"
            _wait_across_reload(page, chosen)
        else:
            unlock(page, pin)
    raise AssertionError(f"no home screen after signing in: {page.url}")


def sign_in(page, server, username: str) -> None:
    """Open the app, sign in, and wait for the service worker and the first sync."""
    page.goto(server.url + "/app/signin")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    finish_sign_in(page)
    try:
        page.wait_for_function(SERVICE_WORKER_READY)
    except Exception:
        state = page.evaluate(
            """async () => {
              const r = await navigator.serviceWorker.getRegistration();
              return r ? [r.installing?.state, r.waiting?.state, r.active?.state] : 'none';
            }"""
        )
        log = (server.folder / "server.log").read_text()[-3000:]
        raise AssertionError(f"no service worker controls the page: {state}\n{log}") from None
    wait_for_round(page, 0)
    assert status(page, "error") == "", server.folder


def go_by_menu(page, name: str) -> None:
    """Open the app bar's menu and follow one of its entries."""
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name=name).click()
