"""`prog-tracker demo`: a fresh database with realistic KZ, TN and UG data."""

import shutil
from datetime import date, timedelta
from pathlib import Path

from flask_migrate import upgrade

from prog_tracker.config import ensure_key_file, instance_path_from_env, read_key_file
from prog_tracker.seed.demo.names import ORGANISATION_NAMES

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 # nosec B105 # printed for the demo on purpose

FACILITIES = [
    {
        "key": "kz",
        "name": "Penal Colony EC-166/7 (Karaganda)",
        "country": "KZ",
        "public_name": "Karaganda Vocational Training Centre",
        "timezone": "Asia/Almaty",
    },
    {
        "key": "tn",
        "name": "Prison civile de Borj El Amri",
        "country": "TN",
        "public_name": "Centre de formation professionnelle de la Manouba",
        "timezone": "Africa/Tunis",
    },
    {
        "key": "ug",
        "name": "Upper Prison, Eastern Region",
        "country": "UG",
        "public_name": "Eastern Skills Development Centre",
        "timezone": "Africa/Kampala",
    },
]

ORGANISATIONS = [
    {
        "key": "kz",
        "name": "Qadam Reintegration Foundation",
        "names": ORGANISATION_NAMES["Qadam Reintegration Foundation"],
        "country": "KZ",
        "kind": "ngo",
        "contact_email": "office@qadam.example.org",
        "contact_phone": "+7 700 000 0000",
    },
    {
        "key": "tn",
        "name": "Association Nouveau Départ",
        "names": ORGANISATION_NAMES["Association Nouveau Départ"],
        "country": "TN",
        "kind": "ngo",
        "contact_email": "contact@nouveau-depart.example.org",
        "contact_phone": "+216 70 000 000",
    },
    {
        "key": "ug",
        "name": "Second Chance Uganda",
        "names": ORGANISATION_NAMES["Second Chance Uganda"],
        "country": "UG",
        "kind": "ngo",
        "contact_email": "info@secondchance.example.org",
        "contact_phone": "+256 700 000000",
    },
    {
        "key": "ug-employer",
        "name": "Jinja Furniture Cooperative",
        "names": ORGANISATION_NAMES["Jinja Furniture Cooperative"],
        "country": "UG",
        "kind": "employer",
        "contact_email": "jobs@jinjafurniture.example.org",
    },
]

# (given, family, sex) — names as they are written in each country. In Uganda the
# family name is the African name (Okello, Nakato) and the given name the first name
# (Joseph, Sarah); registers and official documents write the surname first
# ("OKELLO Joseph"), as the lists' "Family, Given" order does.
NAMES = {
    "kz": [
        ("Нурлан", "Сейтқали", "male"),
        ("Әсел", "Жұмабаева", "female"),
        ("Ерлан", "Ахметов", "male"),
        ("Дәурен", "Қасымов", "male"),
        ("Айгүл", "Оспанова", "female"),
        ("Сергей", "Ковалёв", "male"),
        ("Бауыржан", "Төлеуов", "male"),
        ("Ғалым", "Нұрбеков", "male"),
        ("Мадина", "Есенова", "female"),
        ("Ілияс", "Сәрсенбаев", "male"),
    ],
    "tn": [
        ("محمد", "بن علي", "male"),
        ("Youssef", "Trabelsi", "male"),
        ("أمين", "الغربي", "male"),
        ("Sami", "Ben Salah", "male"),
        ("Hela", "Jaziri", "female"),
        ("كريم", "المثلوثي", "male"),
        ("Anis", "Bouazizi", "male"),
        ("Rim", "Chebbi", "female"),
        ("وليد", "الهمامي", "male"),
        ("Mehdi", "Khelifi", "male"),
    ],
    "ug": [
        ("Joseph", "Okello", "male"),
        ("Sarah", "Nakato", "female"),
        ("Brian", "Mugisha", "male"),
        ("Grace", "Auma", "female"),
        ("Ivan", "Ssemakula", "male"),
        ("Esther", "Atim", "female"),
        ("Ronald", "Kato", "male"),
        ("Mercy", "Nabirye", "female"),
        ("Denis", "Opio", "male"),
        ("Allan", "Tumusiime", "male"),
    ],
}

USERS = [
    ("admin", "admin", {}),
    ("supervisor", "supervisor", {}),
    ("supervisor.kz", "supervisor", {"country": "KZ"}),
    ("officer.kz", "officer", {"facility": "kz"}),
    ("officer.tn", "officer", {"facility": "tn"}),
    ("officer.ug", "officer", {"facility": "ug"}),
    ("instructor.kz", "instructor", {"facility": "kz"}),
    ("instructor.tn", "instructor", {"facility": "tn"}),
    ("instructor.ug", "instructor", {"facility": "ug"}),
    ("caseworker.kz", "caseworker", {"organisation": "kz"}),
    ("caseworker.tn", "caseworker", {"organisation": "tn"}),
    ("caseworker.ug", "caseworker", {"organisation": "ug"}),
]


def demo_instance_path() -> Path:
    """The demo's own instance folder, apart from any real database."""
    base = instance_path_from_env()
    return Path(base) / "demo" if base else Path.cwd() / "instance" / "demo"


def build_demo(mfa: bool, echo):
    """Make a fresh demo app and database, seed it and print the sign-ins."""
    from prog_tracker import create_app
    from prog_tracker.notifications.keys import ensure_vapid_key_file

    folder = demo_instance_path()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in ("secret_key", "audit_key", "mfa_key"):
        ensure_key_file(folder / name)
    ensure_vapid_key_file(folder)  # reminders work in the demo too (send-reminders)
    app = create_app(
        {
            "INSTANCE_PATH": str(folder),
            "ENV": "development",
            "DATABASE_URL": f"sqlite:///{folder / 'demo.db'}",
            "SECRET_KEY": read_key_file(folder / "secret_key"),
            "AUDIT_KEY": read_key_file(folder / "audit_key"),
            "MFA_ROLES": "admin,supervisor" if mfa else "",
        }
    )
    with app.app_context():
        upgrade()
        users = seed(app)
        if mfa:
            _enable_mfa(users, app.config["MFA_ROLE_SET"])
        _print_sign_ins(users, mfa, echo)
    return app


def seed(app) -> list:
    """Create facilities, organisations, users, participants, workshops and
    release-and-after stories through the services."""
    from prog_tracker.auth.admin_services import create_user
    from prog_tracker.directory.models import Facility, Organisation
    from prog_tracker.extensions import db

    facilities = {f["key"]: _add(db, Facility, f) for f in FACILITIES}
    organisations = {o["key"]: _add(db, Organisation, o) for o in ORGANISATIONS}
    users = []
    for username, role, scope in USERS:
        data = {
            "username": username,
            "role": role,
            "password": DEMO_PASSWORD,
            "display_name": _display_name(username),
            "facility_id": facilities[scope["facility"]].id if "facility" in scope else None,
            "organisation_id": (
                organisations[scope["organisation"]].id if "organisation" in scope else None
            ),
            "country": scope.get("country"),
        }
        users.append(create_user(None, data))
    officers = {u.username.split(".")[1]: u for u in users if u.role == "officer"}
    for key, officer in officers.items():
        _seed_participants(officer, facilities[key], NAMES[key])
    from prog_tracker.seed.demo.aftercare import seed_aftercare
    from prog_tracker.seed.demo.workshops import seed_workshops

    seed_workshops(users, facilities)
    seed_aftercare(users, facilities, organisations)
    return users


def _add(db, model, values: dict):
    """Insert one directory record."""
    record = model(**{k: v for k, v in values.items() if k != "key"})
    db.session.add(record)
    db.session.commit()
    return record


def _display_name(username: str) -> str:
    """A readable name for a demo account."""
    role, _, place = username.partition(".")
    return f"Demo {role}" + (f" ({place.upper()})" if place else "")


def _seed_participants(officer, facility, names) -> None:
    """Register the facility's people, some with a changed release date."""
    from prog_tracker.participants.services import create_participant, update_participant

    today = date.today()
    for index, (given, family, sex) in enumerate(names):
        person = create_participant(
            officer,
            {
                "facility_id": facility.id,
                "prison_number": f"{facility.country}-{2024 + index % 3}-{1000 + index * 37}",
                "given_name": given,
                "family_name": family,
                "sex": sex,
                "date_of_birth": date(
                    1975 + (index * 7) % 30, 1 + index % 12, 1 + (index * 5) % 28
                ),
                "expected_release_date": today + timedelta(days=20 + index * 45),
            },
        )
        if index % 4 == 1:
            update_participant(
                officer,
                person,
                {
                    "expected_release_date": person.expected_release_date + timedelta(days=30),
                    "reason": "Sentence recalculated by the court registry.",
                },
            )


def _enable_mfa(users, roles) -> None:
    """Give each account of an MFA role a confirmed TOTP secret to print."""
    from prog_tracker.auth.mfa import new_secret
    from prog_tracker.core.models import utcnow
    from prog_tracker.extensions import db

    for user in users:
        if user.role in roles:
            user.totp_secret, user.mfa_confirmed_at = new_secret(), utcnow()
    db.session.commit()


def _print_sign_ins(users, mfa: bool, echo) -> None:
    """Tell the person running the demo how to sign in."""
    echo("prog-tracker demo: a fresh database with data for Kazakhstan, Tunisia and Uganda.")
    if mfa:
        echo(
            "Two-step sign-in is ON for admin and supervisor: add the TOTP secret shown "
            "below to an authenticator app (or `oathtool --totp -b SECRET`)."
        )
    else:
        echo("Two-step sign-in is OFF in this demo (start it with --mfa to turn it on).")
    echo(f"Every account's password: {DEMO_PASSWORD}")
    for user in users:
        secret = f"  TOTP secret: {user.totp_secret}" if user.mfa_enabled else ""
        echo(f"  {user.username:<16} {user.role:<11}{secret}")
