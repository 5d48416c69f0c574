"""The world the language tests walk: the demo's data, and the pages each role opens.

The demo (prog_tracker.seed.demo.seed) builds Kazakhstan, Tunisia and Uganda through
the services, so every main page has something to show: a cohort with today's
session (its roll not yet taken), certificates, releases, referrals, a
caseload with contacts and follow-ups, and figures for the supervisor.
"""

import re
from dataclasses import dataclass, field

from sqlalchemy import select

# The demo accounts the tests sign in as (all in Kazakhstan, the admin everywhere).
ACCOUNTS = {
    "admin": "admin",
    "supervisor": "supervisor.kz",
    "officer": "officer.kz",
    "instructor": "instructor.kz",
    "caseworker": "caseworker.kz",
}
MFA_ROLES = ("admin", "supervisor")
# Tables no page shows text from (hashes, ledgers, sessions).
NOT_SHOWN = {"audit_events", "auth_sessions", "api_tokens", "sync_cursors", "sync_mutations"}
NOT_SHOWN |= {"push_subscriptions", "notifications", "reminder_opt_outs"}
CODE = re.compile(r"[a-z][a-z_]*")


@dataclass
class LanguageWorld:
    """Ids the page paths need, TOTP secrets, and every text the demo stored."""

    ids: dict
    password: str
    totp_secrets: dict
    data_texts: frozenset = field(repr=False)


def seed_languages(server) -> LanguageWorld:
    """Seed the demo on the server's database and read back what the tests need."""

    def work():
        from prog_tracker.seed.demo import DEMO_PASSWORD, seed

        users = seed(server.app)
        secrets = _enable_mfa(users)
        _field_devices(users)
        return LanguageWorld(_ids(users), DEMO_PASSWORD, secrets, _stored_texts(DEMO_PASSWORD))

    return server.query(work)


def set_locale(server, username: str, locale: str | None) -> None:
    """Store the user's language setting (the first thing the app honours)."""

    def work():
        from prog_tracker.auth.models import User
        from prog_tracker.extensions import db

        user = db.session.scalars(select(User).where(User.username == username)).one()
        user.locale = locale
        user.totp_last_step = None  # the tests sign the same account in once per language
        db.session.commit()

    server.query(work)


def _enable_mfa(users) -> dict:
    """Confirmed TOTP for the MFA roles (as `prog-tracker demo --mfa`); username -> secret."""
    import pyotp

    from prog_tracker.core.models import utcnow
    from prog_tracker.extensions import db

    secrets = {}
    for user in users:
        if user.role in MFA_ROLES:
            user.totp_secret, user.mfa_confirmed_at = pyotp.random_base32(), utcnow()
            secrets[user.username] = user.totp_secret
    db.session.commit()
    return secrets


def _field_devices(users) -> None:
    """The caseworker's devices in the registry: one in use, one revoked and wiped."""
    from tests.factories import Factory

    make = Factory()
    caseworker = next(user for user in users if user.username == "caseworker.kz")
    make.device(caseworker, pending_count=0)
    make.device(caseworker, label="Firefox · Android", wiped=True, pending_count=2)


def _ids(users) -> dict:
    """The records the pages open: the KZ cohort, today's session, a client, a certificate."""
    from prog_tracker.core.dates import today_at

    by_name = {user.username: user for user in users}
    instructor, caseworker = by_name["instructor.kz"], by_name["caseworker.kz"]
    cohort = _cohort_of(instructor)
    ids = {
        "cohort": cohort.id,
        "session": _session_on(cohort, today_at(cohort.facility)),
        "learner": _first_learner(cohort),
        "skill": _first_skill(cohort),
        "user": caseworker.id,
        "facility": cohort.facility_id,
        "organisation": caseworker.organisation_id,
    }
    ids.update(_client_of(caseworker))
    ids.update(_certificate_at(cohort.facility_id))
    return ids


def _cohort_of(instructor):
    """The instructor's (only) demo cohort."""
    from prog_tracker.extensions import db
    from prog_tracker.workshops.models import Cohort

    return db.session.scalars(select(Cohort).where(Cohort.instructors.contains(instructor))).one()


def _first_skill(cohort) -> str:
    """The id of the first skill (by code) of the cohort's trade."""
    from prog_tracker.certification.models import Skill
    from prog_tracker.extensions import db

    query = select(Skill.id).where(Skill.trade_id == cohort.trade_id).order_by(Skill.code)
    return db.session.scalars(query).first()


def _session_on(cohort, day) -> str:
    """The cohort's session on day (the demo leaves today's roll to be taken)."""
    from prog_tracker.extensions import db
    from prog_tracker.workshops.models import WorkshopSession

    query = select(WorkshopSession.id).where(
        WorkshopSession.cohort_id == cohort.id, WorkshopSession.date == day
    )
    return db.session.scalars(query).one()


def _first_learner(cohort) -> str:
    """An enrolled participant of the cohort (for the skills checklist)."""
    from prog_tracker.extensions import db
    from prog_tracker.workshops.models import Enrolment

    query = select(Enrolment.participant_id).where(
        Enrolment.cohort_id == cohort.id, Enrolment.status == "enrolled"
    )
    return db.session.scalars(query.order_by(Enrolment.enrolled_on)).first()


def _client_of(caseworker) -> dict:
    """A person in the caseworker's own caseload, and the latest contact about them."""
    from prog_tracker.aftercare.caseload import caseload
    from prog_tracker.aftercare.models import Contact
    from prog_tracker.extensions import db

    mine = [row["participant"].id for row in caseload(caseworker) if row["assigned_to_me"]]
    query = (
        select(Contact.participant_id, Contact.id)
        .where(Contact.caseworker_id == caseworker.id, Contact.participant_id.in_(mine))
        .order_by(Contact.occurred_at.desc())
    )
    person, contact = db.session.execute(query).first()
    return {"client": person, "contact": contact}


def _certificate_at(facility_id: str) -> dict:
    """A valid certificate of a participant at the facility, and its public code."""
    from prog_tracker.certification.models import Certificate
    from prog_tracker.extensions import db
    from prog_tracker.participants.models import Participant

    query = (
        select(Certificate)
        .join(Participant, Participant.id == Certificate.participant_id)
        .where(Participant.facility_id == facility_id, Certificate.status == "valid")
    )
    certificate = db.session.scalars(query).first()
    return {
        "certificate": certificate.id,
        "certificate_code": certificate.code,
        "certified": certificate.participant_id,
    }


def _stored_texts(*extra: str) -> frozenset:
    """Every text the demo stored that a page may show as data (names, titles, notes).

    Machine codes (lower-case words such as `released` or `employed_formal`) are left
    out: a page that shows one has not translated it. Usernames stay (they are names).
    """
    from sqlalchemy import String, Text

    from prog_tracker.auth.models import User
    from prog_tracker.extensions import db

    found = set(extra) | set(db.session.scalars(select(User.username)))
    for table in db.metadata.sorted_tables:
        if table.name in NOT_SHOWN:
            continue
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        for row in db.session.execute(select(*columns)) if columns else ():
            texts = (" ".join(str(value).split()) for value in row if value)
            found.update(text for text in texts if not CODE.fullmatch(text))
    return frozenset(found)
