"""Permission-matrix rows for the referral and consent API.

`extend` adds, at the world's facility, a released person the world's
caseworker follows (`world.partners_client`: accepted referral held by that
caseworker, active consent). Routes that change a referral or a consent get a
fresh one per call in the state they need; every row points `world.referral`
or `world.consent` (shared with the pages' rows) at its own record first, so
the order in which modules extend the world does not matter.
"""

# anon, admin, supervisor, officer, instructor, caseworker
SCOPED_READ = (401, 200, 200, 200, 404, 200)
# Records of world.participant (in custody, no referral): caseworkers see nothing.
PERSON_READ = (401, 200, 200, 200, 404, 404)
ALL_READ = (401, 200, 200, 200, 200, 200)


def _factory():
    """A factory (imported late: the matrix module loads before the app exists)."""
    from tests.factories import Factory

    return Factory()


def extend(make, world) -> None:
    """A released person the caseworker follows, their referral and their consent."""
    caseworker = world.users["caseworker"]
    person = make.participant(facility=world.facility)
    make.release(person, actor=world.users["officer"])
    world.partners_client = person
    world.partners_referral = make.referral(
        person, world.organisation, status="accepted", assigned_caseworker_id=caseworker.id
    )
    world.partners_consent = make.consent(person, world.organisation)


def _referral(w, status: str):
    """A fresh person's referral to the world's organisation, in status."""
    make = _factory()
    person = make.participant(facility=w.facility)
    extra = {"assigned_caseworker_id": w.users["caseworker"].id} if status == "accepted" else {}
    w.referral = make.referral(person, w.organisation, status=status, **extra)


def _pending(w) -> None:
    """Act on a fresh pending referral (no body)."""
    _referral(w, "pending")


def _accepted(w) -> None:
    """Act on a fresh accepted referral (no body)."""
    _referral(w, "accepted")


def _handover(w) -> dict:
    """Hand a fresh accepted referral to the world's caseworker."""
    _referral(w, "accepted")
    return {"assigned_caseworker_id": w.users["caseworker"].id}


def _client_referral(w) -> None:
    """Read the caseworker's client's referral (no body)."""
    w.referral = w.partners_referral


def _client_consent(w) -> None:
    """Read the caseworker's client's consent (no body)."""
    w.consent = w.partners_consent


def _fresh_consent(w) -> dict:
    """Withdraw, today, the active consent of a fresh person referred to the world's
    organisation (its caseworkers see consents of people referred to them)."""
    make = _factory()
    person = make.participant(facility=w.facility)
    make.referral(person, w.organisation)
    w.consent = make.consent(person, w.organisation)
    return {}


def _new_referral(w) -> dict:
    """Refer a fresh person of the facility to the world's organisation."""
    person = _factory().participant(facility=w.facility)
    return {"participant_id": person.id, "organisation_id": w.organisation.id, "reason": "Work"}


def _new_consent(w) -> dict:
    """Record a fresh person's consent for the world's organisation."""
    from prog_tracker.core.dates import today_at

    return {
        "participant_id": _factory().participant(facility=w.facility).id,
        "organisation_id": w.organisation.id,
        "purpose": "post_release_support",
        "given_on": today_at(w.facility).isoformat(),
        "method": "verbal_witnessed",
    }


ROWS = {
    ("GET", "/api/v1/referrals"): (None, ALL_READ),
    ("POST", "/api/v1/referrals"): (_new_referral, (401, 201, 403, 201, 404, 404)),
    ("GET", "/api/v1/referrals/<referral_id>"): (_client_referral, SCOPED_READ),
    ("PATCH", "/api/v1/referrals/<referral_id>"): (_handover, (401, 200, 403, 403, 404, 200)),
    # Answering is for the organisation's caseworkers (and admins), never for officers.
    ("POST", "/api/v1/referrals/<referral_id>/accept"): (
        _pending,
        (401, 200, 403, 403, 404, 200),
    ),
    ("POST", "/api/v1/referrals/<referral_id>/decline"): (
        _pending,
        (401, 200, 403, 403, 404, 200),
    ),
    ("POST", "/api/v1/referrals/<referral_id>/close"): (
        _accepted,
        (401, 200, 403, 200, 404, 200),
    ),
    ("GET", "/api/v1/consents"): (None, ALL_READ),
    ("POST", "/api/v1/consents"): (_new_consent, (401, 201, 403, 201, 404, 404)),
    # Without ?organisation_id every signed-in role reaches the validation (422).
    ("GET", "/api/v1/consents/wording"): (None, (401, 422, 422, 422, 422, 422)),
    ("GET", "/api/v1/consents/<consent_id>"): (_client_consent, SCOPED_READ),
    ("POST", "/api/v1/consents/<consent_id>/withdraw"): (
        _fresh_consent,
        (401, 200, 403, 200, 404, 200),
    ),
    ("GET", "/api/v1/participants/<participant_id>/consents"): (None, PERSON_READ),
}
