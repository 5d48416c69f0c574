"""`prog-tracker seed-scale`: realistic synthetic data at scale for benchmarks (SPEC §8).

Every domain model gets rows in the proportions of a national programme (per
person about one enrolment, thirty attendance rows, five assessments, and ten
post-release contacts), with histories that give every SPEC §7 indicator
something to count over the last twelve months and the years before. All is
drawn from one seeded random source: the same seed on the same day gives the
same people, ids and histories. Rows go in as plain tuples through the
database driver (scale/write.py) inside db.session's transaction; the caller
commits. Not written: audit events (nothing here is a person's record being
read or changed by a user, and the audit chain stays verifiable), and the
state only use creates (sign-in sessions, API tokens, push subscriptions and
the reminders sent to them, sync ledgers).
"""

import secrets
from datetime import date

from sqlalchemy import func, select

from prog_tracker.aftercare.models import Contact, Outcome
from prog_tracker.auth.models import User
from prog_tracker.auth.passwords import hash_password
from prog_tracker.certification.models import Assessment, Certificate
from prog_tracker.core import policy
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.participants.matching.models import ParticipantMatchKey
from prog_tracker.participants.models import Participant, ReleaseDateChange
from prog_tracker.partners.models import Consent, Referral
from prog_tracker.release import followups, plans
from prog_tracker.release.models import FollowUp, ReleaseEpisode, ReleasePlanItem, StatusChange
from prog_tracker.seed.scale.aftercare import seed_aftercare
from prog_tracker.seed.scale.base import NO_TRANSLATIONS, RECORD, Seeding
from prog_tracker.seed.scale.names import (
    BENCH_ORGANISATION,
    BENCH_USERNAME,
    COUNTRY_SHARE,
    FACILITIES,
    ORGANISATIONS,
    STAFF_NAMES,
    USER_LOCALE,
)
from prog_tracker.seed.scale.people import seed_people
from prog_tracker.seed.scale.workshops import seed_workshops
from prog_tracker.seed.scale.write import Writer
from prog_tracker.workshops.models import Attendance, Enrolment, WorkshopSession

DEFAULT_SEED = 20260401
# The benchmark caseworker's 50 people plus the ones they must not see need this many.
MIN_PARTICIPANTS = 200
OFFICERS_PER_FACILITY = 2
INSTRUCTORS_PER_FACILITY = 4
CASEWORKERS_PER_ORGANISATION = 3
# The tables whose secondary indexes are built after the load rather than row by row.
BULK_TABLES = (
    Participant,
    ParticipantMatchKey,
    ReleaseDateChange,
    StatusChange,
    ReleaseEpisode,
    ReleasePlanItem,
    Enrolment,
    WorkshopSession,
    Attendance,
    Assessment,
    Certificate,
    Referral,
    Consent,
    FollowUp,
    Contact,
    Outcome,
)
FACILITY_COLUMNS = (*RECORD, "name", "country", "public_name", "timezone")
ORGANISATION_COLUMNS = (
    *RECORD,
    "name",
    "country",
    "kind",
    "contact_email",
    "contact_phone",
    "names",
)
USER_COLUMNS = (
    *RECORD,
    "username",
    "display_name",
    "role",
    "facility_id",
    "organisation_id",
    "country",
    "locale",
    "active",
    "password_hash",
    "must_change_password",
)


class ScaleError(Exception):
    """seed-scale refused to run; the message says why."""


def seed_scale(participants: int, seed: int = DEFAULT_SEED, append: bool = False, today=None):
    """Fill every table with synthetic data for `participants` people; returns a summary."""
    if participants < MIN_PARTICIPANTS:
        raise ScaleError(f"--participants must be at least {MIN_PARTICIPANTS}.")
    existing = db.session.scalar(select(func.count()).select_from(Participant))
    if existing and not append:
        raise ScaleError(
            f"The database already holds {existing} participants; seed-scale fills an empty "
            "database (run `prog-tracker init` on a new one), or pass --append to add more."
        )
    password = secrets.token_urlsafe(12)
    ctx = Seeding(seed, _batch_number(), today or date.today())
    ctx.password_hash = hash_password(password)  # Argon2 is slow: one hash for everyone
    ctx.writer = Writer(ctx.written)
    ctx.plan_template, ctx.follow_ups = plans.template(), followups.schedule()
    with ctx.writer.bulk_load(BULK_TABLES):
        world = _directory(ctx, participants)
        people = seed_people(ctx, world, participants)
        seed_workshops(ctx, world, people)
        seed_aftercare(ctx, world, people)
    # Derived data the services keep as they go: the contact that meets each follow-up.
    followups.refresh_met_everywhere(db.session.connection())
    return {
        "written": dict(ctx.written),
        "password": password,
        "bench_username": world["bench_username"],
        "bench_organisation": BENCH_ORGANISATION[1],
    }


def _batch_number() -> int:
    """1 for the first run on a database, 2 for the next --append, and so on."""
    earlier = db.session.scalar(
        select(func.count()).select_from(User).where(User.username.like("scale%.admin"))
    )
    return (earlier or 0) + 1


def _prefix(ctx: Seeding) -> str:
    """The username prefix of this run's users ("scale", then "scale2"…)."""
    return "scale" if ctx.batch == 1 else f"scale{ctx.batch}"


def _suffix(ctx: Seeding) -> str:
    """Appended to names on --append runs, which must differ from the first run's."""
    return "" if ctx.batch == 1 else f" ({ctx.batch})"


def _directory(ctx: Seeding, participants: int) -> dict:
    """Facilities, organisations and users of every role; returns what later steps pick from."""
    world: dict = {"facilities": [], "organisations": {}, "users": {}}
    # About one prison per 5,000 people in the register, up to four per country.
    per_country = max(1, min(4, participants // 5000))
    for country in COUNTRY_SHARE:
        for spec in FACILITIES[country][:per_country]:
            world["facilities"].append(_facility(ctx, country, spec))
        for spec in ORGANISATIONS[country]:
            world["organisations"].setdefault(country, []).append(_organisation(ctx, country, spec))
    world["bench_organisation"] = _organisation(ctx, "KZ", BENCH_ORGANISATION)
    ctx.insert(Facility, FACILITY_COLUMNS, (f["row"] for f in world["facilities"]))
    organisations = [o for group in world["organisations"].values() for o in group]
    organisations.append(world["bench_organisation"])
    ctx.insert(Organisation, ORGANISATION_COLUMNS, (o["row"] for o in organisations))
    _users(ctx, world, organisations)
    return world


def _facility(ctx: Seeding, country: str, spec) -> dict:
    """One prison: its row, and what later steps need (key, city, staff)."""
    key, name, public, zone, city = spec
    row = (
        *ctx.meta(ctx.days_ago(1500, 1800)),
        name + _suffix(ctx),
        country,
        public + _suffix(ctx),
        zone,
    )
    return {"id": row[0], "key": key, "country": country, "city": city, "row": row}


def _organisation(ctx: Seeding, country: str, spec) -> dict:
    """One organisation: its row, and its key for usernames."""
    key, name, kind, domain, phone = spec
    row = (
        *ctx.meta(ctx.days_ago(1000, 1500)),
        name + _suffix(ctx),
        country,
        kind,
        f"office@{domain}.example.org",
        f"{phone} {ctx.between(100, 999)} {ctx.between(1000, 9999)}",
        NO_TRANSLATIONS,
    )
    return {"id": row[0], "key": key, "name": row[4], "country": country, "kind": kind, "row": row}


def _users(ctx: Seeding, world: dict, organisations: list[dict]) -> None:
    """An admin, supervisors, officers and instructors per prison, caseworkers per partner."""
    prefix, users = _prefix(ctx), world["users"]
    users["admin"] = [_user(ctx, f"{prefix}.admin", "admin", "KZ")]
    users["supervisor"] = [_user(ctx, f"{prefix}.supervisor", "supervisor", "UG")]
    for country in COUNTRY_SHARE:
        login = f"{prefix}.supervisor.{country.lower()}"
        users["supervisor"].append(_user(ctx, login, "supervisor", country, country=country))
    for facility in world["facilities"]:
        for role, many in (
            ("officer", OFFICERS_PER_FACILITY),
            ("instructor", INSTRUCTORS_PER_FACILITY),
        ):
            facility[role + "s"] = [
                _user(
                    ctx,
                    f"{prefix}.{role}.{facility['key']}.{n}",
                    role,
                    facility["country"],
                    facility_id=facility["id"],
                )
                for n in range(1, many + 1)
            ]
            users.setdefault(role, []).extend(facility[role + "s"])
    world["bench_username"] = BENCH_USERNAME if ctx.batch == 1 else f"{BENCH_USERNAME}{ctx.batch}"
    for organisation in organisations:
        organisation["caseworkers"] = _caseworkers(ctx, world, organisation)
        users.setdefault("caseworker", []).extend(organisation["caseworkers"])
    ctx.insert(User, USER_COLUMNS, (u["row"] for group in users.values() for u in group))


def _caseworkers(ctx: Seeding, world: dict, organisation: dict) -> list[dict]:
    """The caseworkers of one organisation (the benchmark one's first is bench.caseworker)."""
    logins = [
        f"{_prefix(ctx)}.caseworker.{organisation['key']}.{n}"
        for n in range(1, CASEWORKERS_PER_ORGANISATION + 1)
    ]
    if organisation is world["bench_organisation"]:
        logins[0] = world["bench_username"]
    return [
        _user(
            ctx,
            login,
            "caseworker",
            organisation["country"],
            organisation_id=organisation["id"],
        )
        for login in logins
    ]


def _user(ctx: Seeding, username: str, role: str, home: str, **scope) -> dict:
    """One active user working in country `home`, sharing the run's password hash."""
    row = (
        *ctx.meta(ctx.days_ago(900, 1000)),
        username,
        ctx.pick(STAFF_NAMES[home]),
        role,
        scope.get("facility_id"),
        scope.get("organisation_id"),
        scope.get("country"),
        USER_LOCALE[home],
        True,
        ctx.password_hash,
        False,
    )
    return {"id": row[0], "country": scope.get("country"), "row": row}


def bench_scope_size(username: str) -> int:
    """How many participants the named caseworker sees (the policy's own query)."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        return 0
    scoped = policy.visible_participants(user).with_only_columns(Participant.id).subquery()
    return db.session.scalar(select(func.count()).select_from(scoped))


def compact() -> None:
    """After a bulk load: refresh the query planner's statistics (without them
    PostgreSQL guesses one row per table and picks plans six times slower on the
    caseload), and on SQLite turn the write-ahead log back on (the load ran under
    a rollback journal) and fold it into the database so readers start fast.

    On PostgreSQL a VACUUM also marks the new pages all-visible, as autovacuum
    would on a live database in time, so index-only scans can skip the tables
    and benchmarks measure the steady state rather than the first minutes."""
    raw = db.engine.raw_connection()
    try:
        if db.engine.dialect.name == "sqlite":
            raw.driver_connection.execute("PRAGMA journal_mode=WAL")
            raw.driver_connection.execute("ANALYZE")
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            raw.driver_connection.autocommit = True  # VACUUM runs outside a transaction
            try:
                with raw.cursor() as cursor:
                    cursor.execute("VACUUM (ANALYZE)")
            finally:
                raw.driver_connection.autocommit = False
    finally:
        raw.close()


def report(summary: dict, echo) -> None:
    """Print what was written, the shared password and the benchmark caseworker."""
    for table, count in sorted(summary["written"].items()):
        echo(f"  {table:<22} {count:>9,}")
    echo(f"Every synthetic user signs in with the password: {summary['password']}")
    echo(
        f"Benchmark caseworker: {summary['bench_username']} "
        f"({summary['bench_organisation']}, {bench_scope_size(summary['bench_username'])} "
        "people in scope)."
    )
