"""Permission-matrix rows for the caseworker pages: person card, contacts, outcomes, inbox.

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)). `extend` adds,
at the world's facility, a person released ten days ago (`world.person`)
whom the world's caseworker follows (accepted referral, active consent), and
one contact about them (`world.contact`). The inbox actions point
`world.referral` (shared with the referral API rows) at a fresh referral in
the state they need before each call, so every role meets the same record.
"""

import datetime as dt

# Read the person's card: everyone who sees the person except instructors.
CARD = (302, 200, 200, 200, 404, 200)
# Write contacts and outcomes: the organisation's caseworkers (admins as well).
RECORD_PAGE = (302, 200, 403, 403, 404, 200)
RECORD_POST = (400, 302, 403, 403, 404, 302)
# Answer and hand over referrals: the organisation's caseworkers and admins.
REFERRAL_POST = (400, 302, 403, 403, 404, 302)


def _factory():
    """A factory (imported late: the matrix module loads before the app exists)."""
    from tests.factories import Factory

    return Factory()


def _yesterday(world) -> dt.date:
    """Yesterday at the world's facility (this morning may not have come yet there)."""
    from prog_tracker.core.dates import today_at

    return today_at(world.facility) - dt.timedelta(days=1)


def extend(make, world) -> None:
    """A released person the caseworker follows, and one contact about them."""
    caseworker = world.users["caseworker"]
    person = make.participant(facility=world.facility)
    make.release(person, _yesterday(world) - dt.timedelta(days=9), actor=world.users["officer"])
    make.referral(person, world.organisation, "accepted", assigned_caseworker_id=caseworker.id)
    make.consent(person, world.organisation, given_on=_yesterday(world))
    world.person = person
    world.contact = make.contact(person, caseworker)


def _fresh_referral(world, status: str) -> None:
    """Point world.referral at a fresh person's referral to the organisation, in status."""
    make = _factory()
    person = make.participant(facility=world.facility)
    extra = {"assigned_caseworker_id": world.users["caseworker"].id} if status == "accepted" else {}
    world.referral = make.referral(person, world.organisation, status, **extra)


def _pending(world) -> dict:
    """Answer a fresh pending referral (the form carries only its CSRF token)."""
    _fresh_referral(world, "pending")
    return {}


def _handover(world) -> dict:
    """Hand a fresh accepted referral to the world's caseworker."""
    _fresh_referral(world, "accepted")
    return {"caseworker_id": world.users["caseworker"].id}


def _contact(world) -> dict:
    """A phone call yesterday morning; admins name the organisation (a caseworker may too)."""
    return {
        "occurred_on": _yesterday(world).isoformat(),
        "occurred_time": "09:00",
        "mode": "phone",
        "organisation_id": world.organisation.id,
    }


def _correction(world) -> dict:
    """The world's contact corrected to an office visit yesterday."""
    return {
        "occurred_on": _yesterday(world).isoformat(),
        "occurred_time": "10:00",
        "mode": "office",
    }


def _outcome(world) -> dict:
    """Self-employed, in a stable home, today."""
    from prog_tracker.core.dates import today_at

    today = today_at(world.facility).isoformat()
    return {"observed_on": today, "employment": "self_employed", "housing": "stable"}


ROWS = {
    ("GET", "/aftercare/participants/<person_id>"): (None, CARD),
    ("GET", "/aftercare/participants/<person_id>/contacts/new"): (None, RECORD_PAGE),
    ("POST", "/aftercare/participants/<person_id>/contacts/new"): (_contact, RECORD_POST),
    ("GET", "/aftercare/contacts/<contact_id>"): (None, CARD),
    ("GET", "/aftercare/contacts/<contact_id>/edit"): (None, RECORD_PAGE),
    ("POST", "/aftercare/contacts/<contact_id>/edit"): (_correction, RECORD_POST),
    ("GET", "/aftercare/participants/<person_id>/outcomes/new"): (None, RECORD_PAGE),
    ("POST", "/aftercare/participants/<person_id>/outcomes/new"): (_outcome, RECORD_POST),
    # The inbox lists one organisation's referrals: caseworkers only (admins use the API).
    ("GET", "/referrals/inbox"): (None, (302, 403, 403, 403, 403, 200)),
    ("POST", "/referrals/<referral_id>/accept"): (_pending, REFERRAL_POST),
    ("POST", "/referrals/<referral_id>/decline"): (_pending, REFERRAL_POST),
    ("POST", "/referrals/<referral_id>/assign"): (_handover, REFERRAL_POST),
}
