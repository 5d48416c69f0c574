"""The world of bench/load.py: a scratch PostgreSQL database and the field users in it.

`seed` runs in a child process whose environment names the instance folder and
the database (see load.py `prepare`): organisations of caseworkers, each
caseworker holding released people (an accepted referral assigned to them, a
consent, a follow-up schedule, a release plan, contacts, an outcome), as many
people out of every caseworker's scope, and one signed-in session per
caseworker (the field app's cookie and CSRF token).
"""

import secrets

# The released people of the sync benchmark (this folder is on sys.path when run).
from sync import seed_person

CONTACTS_PER_PERSON = 3


def seed(args) -> dict:
    """The organisations, caseworkers, people and sessions; what the load needs, as JSON."""
    from prog_tracker import create_app
    from prog_tracker.auth.sessions import start_session
    from prog_tracker.extensions import db

    app = create_app()
    with app.app_context():
        facility = _facility()
        users = []
        for first in range(0, args.users, args.per_organisation):
            size = min(args.per_organisation, args.users - first)
            users += _organisation(facility, first, size, args.people)
        db.session.commit()
        for user in users:
            row, cookie = start_session(user["record"], fully_signed_in=True)
            db.session.flush()
            user.update(cookie=cookie, csrf=row.csrf_token)
        db.session.commit()
    return {"users": [{k: v for k, v in u.items() if k != "record"} for u in users]}


def _facility():
    """The prison everyone was released from."""
    from prog_tracker.directory.models import Facility
    from prog_tracker.extensions import db

    facility = Facility(name="Load colony", country="KZ", public_name="Load centre")
    facility.timezone = "Asia/Almaty"
    db.session.add(facility)
    db.session.flush()
    return facility


def _organisation(facility, first: int, size: int, people: int) -> list[dict]:
    """One NGO, its caseworkers and their people; the people it must not see too."""
    from prog_tracker.auth.models import User
    from prog_tracker.auth.passwords import hash_password
    from prog_tracker.directory.models import Organisation
    from prog_tracker.extensions import db

    ngo = Organisation(name=f"Load NGO {first // size + 1}", country="KZ", kind="ngo")
    db.session.add(ngo)
    db.session.flush()
    password = hash_password(secrets.token_urlsafe(16))  # nobody signs in with it
    users = []
    for n in range(first, first + size):
        user = User(
            username=f"load.caseworker.{n + 1}",
            display_name=f"Load caseworker {n + 1}",
            role="caseworker",
            organisation_id=ngo.id,
            password_hash=password,
            locale="ru",
        )
        db.session.add(user)
        db.session.flush()
        mine = [
            seed_person(facility, ngo, user, f"{n}-{k}", CONTACTS_PER_PERSON, True, "Load")
            for k in range(people)
        ]
        for k in range(people):
            seed_person(facility, ngo, user, f"{n}-out-{k}", CONTACTS_PER_PERSON, False, "Load")
        users.append({"record": user, "people": mine})
    return [dict(u, scope=size * people) for u in users]


# The scratch database.


def _maintenance(url: str):
    """An autocommit psycopg connection to the maintenance database."""
    import psycopg

    return psycopg.connect(url.replace("+psycopg", "", 1), autocommit=True)


def create_database(admin_url: str) -> tuple[str, str]:
    """A new empty database next to the maintenance one: (name, SQLAlchemy URL)."""
    from sqlalchemy.engine import make_url

    name = f"prog_tracker_load_{secrets.token_hex(4)}"
    with _maintenance(admin_url) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    return name, url


def drop_database(admin_url: str, name: str) -> None:
    """Drop the scratch database."""
    with _maintenance(admin_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
