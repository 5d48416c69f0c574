"""Speed of importing a 10,000-row XLSX register (issue 22): a dry run, a real run, and
the same file again, which must change nothing.

Builds a fresh instance (`prog-tracker init` in a temporary folder, SQLite unless
--database-url names another database), a facility with --existing people already
registered, and an XLSX of --rows rows of realistic Kazakh names in Cyrillic and
Latin letters, dates typed every accepted way (ISO, dd.mm.yyyy, dd/mm/yyyy and
spreadsheet dates); about 3 % of the rows are people already registered under
another prison number (likely duplicates for the matcher) and about 3 % carry
errors (impossible dates, a missing family name, formulas).

The runs call the import service in-process (prog_tracker.imports.services, as the
system actor the CLI uses), so the times are the import's, not the interpreter's
start-up. When the matcher (prog_tracker.participants.matching) is not in this
tree yet, a stand-in that finds nobody takes its place, and the script says so.
Targets: dry run < 60 s, real run < 120 s.

    .venv/bin/python bench/import.py [--rows 10000] [--existing 2000]
"""

import argparse
import datetime as dt
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

from prog_tracker.imports.columns import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
DRY_TARGET, REAL_TARGET = 60, 120
GIVEN = {
    "female": [
        "Айгерим",
        "Әсел",
        "Гүлнар",
        "Дана",
        "Жанар",
        "Мадина",
        "Aigerim",
        "Asel",
        "Dinara",
        "Saule",
        "Aruzhan",
        "Камила",
        "Томирис",
        "Ainur",
        "Мөлдір",
    ],
    "male": [
        "Ержан",
        "Нұрлан",
        "Асхат",
        "Серік",
        "Бауыржан",
        "Дәурен",
        "Yerlan",
        "Nurlan",
        "Askhat",
        "Daniyar",
        "Timur",
        "Айдос",
        "Ерлан",
        "Marat",
        "Қайрат",
    ],
}
FAMILY = [
    "Сапаров",
    "Нұрланов",
    "Ахметов",
    "Жұмабаев",
    "Қасымов",
    "Оспанов",
    "Серікбаев",
    "Тоқтаров",
    "Saparov",
    "Akhmetov",
    "Zhumabayev",
    "Kassymov",
    "Ospanov",
    "Ismailov",
    "Бекмұханбетов",
    "Omarov",
    "Әбілов",
    "Nurpeisov",
    "Қуанышев",
    "Abenov",
]
PATRONYMIC = ["Ерланұлы", "Серікқызы", "Маратович", "Нурланович", "Askhatuly", "Bolatkyzy"]
# The register's columns as the import reads them (the facility comes from the command).
HEADER = [name for name in COLUMNS if name != "facility_id"]


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--existing", type=int, default=2_000)
    parser.add_argument("--database-url", help="an empty database (default: SQLite)")
    parser.add_argument("--seed", type=int, default=22)
    return parser.parse_args(argv)


def family_name(rng: random.Random, sex: str) -> str:
    """A family name in the person's form (Cyrillic -ов/-ев take -а for women)."""
    name = rng.choice(FAMILY)
    return name + "а" if sex == "female" and name[-2:] in ("ов", "ев") else name


def person(rng: random.Random) -> dict:
    """A made-up person."""
    sex = rng.choice(("female", "male"))
    return {
        "given_name": rng.choice(GIVEN[sex]),
        "family_name": family_name(rng, sex),
        "other_names": rng.choice(PATRONYMIC) if rng.random() < 0.4 else None,
        "date_of_birth": dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(16_000)),
        "sex": sex,
    }


def typed_date(rng: random.Random, day: dt.date):
    """A date typed one of the accepted ways."""
    form = rng.randrange(4)
    if form == 0:
        return dt.datetime.combine(day, dt.time())
    return (day.isoformat(), day.strftime("%d.%m.%Y"), day.strftime("%d/%m/%Y"))[form - 1]


def row_of(rng: random.Random, number: str, who: dict) -> list:
    """One register row for who."""
    release = dt.date.today() + dt.timedelta(days=rng.randrange(30, 2000))
    return [
        number,
        who["given_name"],
        who["family_name"],
        who["other_names"],
        typed_date(rng, who["date_of_birth"]),
        who["sex"],
        rng.choice(("kk", "ru", None)),
        typed_date(rng, release) if rng.random() < 0.5 else None,
    ]


def broken(rng: random.Random, row: list) -> list:
    """The row with one of the errors registers hold."""
    kind = rng.randrange(3)
    if kind == 0:
        row[4] = "31.02.1990"
    elif kind == 1:
        row[2] = None
    else:
        row[1] = '=HYPERLINK("http://example.org","x")'
    return row


def register(rng: random.Random, rows: int, existing: list) -> tuple[bytes, dict]:
    """The XLSX register and how many rows of each kind it holds."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    kinds = {"new": 0, "duplicate": 0, "error": 0}
    for index in range(rows):
        draw = rng.random()
        if draw < 0.03 and existing:
            row, kind = row_of(rng, f"KZ-I-{index:06d}", rng.choice(existing)), "duplicate"
        elif draw < 0.06:
            row, kind = broken(rng, row_of(rng, f"KZ-I-{index:06d}", person(rng))), "error"
        else:
            row, kind = row_of(rng, f"KZ-I-{index:06d}", person(rng)), "new"
        kinds[kind] += 1
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), kinds


def build_instance(args) -> Path:
    """A fresh instance folder and database at the latest migration."""
    instance = Path(tempfile.mkdtemp(prefix="pt-bench-import-"))
    os.environ["PROG_TRACKER_INSTANCE_PATH"] = str(instance)
    if args.database_url:
        os.environ["PROG_TRACKER_DATABASE_URL"] = args.database_url
    # This tree's package and migrations, whatever the environment's console script runs.
    command = [sys.executable, "-c", "from prog_tracker.cli import main; main()", "init"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(command, check=True, capture_output=True, env=environment, cwd=ROOT)  # noqa: S603
    return instance


def seed_existing(rng: random.Random, count: int) -> tuple[str, list]:
    """A facility and count people registered in it (plain rows: fast)."""
    from prog_tracker.directory.models import Facility
    from prog_tracker.extensions import db
    from prog_tracker.participants.models import Participant
    from prog_tracker.participants.services import refresh_search_text

    facility = Facility(
        name="Bench colony", country="KZ", public_name="Bench centre", timezone="Asia/Almaty"
    )
    db.session.add(facility)
    db.session.flush()
    people = [person(rng) for _ in range(count)]
    for index, who in enumerate(people):
        record = Participant(facility_id=facility.id, prison_number=f"KZ-E-{index:06d}", **who)
        refresh_search_text(record)
        db.session.add(record)
    db.session.commit()
    return facility.id, people


def matcher_in_place() -> str:
    """The matcher in use: the real one, or a stand-in that finds nobody."""
    try:
        from prog_tracker.participants import matching  # noqa: F401
    except ImportError:
        import prog_tracker.participants as package

        stand_in = types.ModuleType("prog_tracker.participants.matching")
        stand_in.likely_duplicates = lambda *args, **kwargs: []
        sys.modules[stand_in.__name__] = stand_in
        package.matching = stand_in
        return "a stand-in that finds nobody (the matcher's branch is not merged here)"
    return "prog_tracker.participants.matching"


def timed(label: str, data: bytes, facility_id: str, dry_run: bool, rows: int):
    """Run one import; print its time, rate and counts; return (seconds, result)."""
    from prog_tracker.core import policy
    from prog_tracker.imports.services import import_participants

    started = time.perf_counter()
    result = import_participants(policy.SystemActor(), data, facility_id, dry_run=dry_run)
    seconds = time.perf_counter() - started
    print(f"{label:<10} {seconds:7.1f} s  {rows / seconds:7.0f} rows/s  {result.counts()}")
    return seconds, result


def main(argv=None) -> int:
    """Build, import three times, report; non-zero when the second real run changed rows."""
    args = parse_args(argv)
    rng = random.Random(args.seed)
    build_instance(args)
    sys.path.insert(0, str(ROOT))
    from prog_tracker import create_app

    app = create_app()
    with app.app_context():
        facility_id, people = seed_existing(rng, args.existing)
        data, kinds = register(rng, args.rows, people)
        print(f"register: {args.rows} rows ({kinds}), {len(data) / 1e6:.1f} MB XLSX")
        print(
            f"database: {app.config['DATABASE_URL'].split(':')[0]}; matcher: {matcher_in_place()}"
        )
        dry, _ = timed("dry run", data, facility_id, True, args.rows)
        real, _ = timed("real run", data, facility_id, False, args.rows)
        _again, again = timed("again", data, facility_id, False, args.rows)
    print(
        f"targets: dry run {dry:.1f} s < {DRY_TARGET} s: {'yes' if dry < DRY_TARGET else 'NO'}; "
        f"real run {real:.1f} s < {REAL_TARGET} s: {'yes' if real < REAL_TARGET else 'NO'}"
    )
    if again.created or again.updated:
        print("the same file again changed rows: NOT idempotent", file=sys.stderr)
        return 1
    print("the same file again: 0 created, 0 updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
