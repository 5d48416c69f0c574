"""The matcher: precision and recall on the evaluation set, and the latency of
GET /api/v1/participants/<id>/duplicates among many people (target p95 < 300 ms).

1. Scores every labelled pair of tests/data/duplicates (pairs.jsonl and
   hand_checked.jsonl) at MATCH_THRESHOLD and prints the confusion counts.
2. Builds (or with --reuse, reuses) a database of --participants synthetic people
   with `prog-tracker init` and `prog-tracker seed-scale` (like bench/caseload.py),
   registers --planted people again through POST /api/v1/participants, each a
   respelling of someone seeded (other script or case, names swapped), then asks
   for the duplicates of the planted people's originals and of random others, as an
   admin (the whole register in scope) and as an officer (one facility), and prints
   p50/p95 latencies. Requests go through the whole Flask stack in this process
   (the test client: no sockets, no gunicorn), so the figures are the server's own.
   Every planted twin must be found; the script exits non-zero otherwise.

    .venv/bin/python bench/duplicates.py [--participants 100000] [--reuse]
    .venv/bin/python bench/duplicates.py --database-url postgresql+psycopg://…/bench
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.caseload import bench_environment, prepare_database  # noqa: E402

TARGET_P95_MS = 300


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=100000)
    parser.add_argument(
        "--instance", type=Path, default=Path(tempfile.gettempdir()) / "prog-tracker-bench-dups"
    )
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite")
    parser.add_argument("--planted", type=int, default=50, help="respelled twins registered")
    parser.add_argument("--requests", type=int, default=200, help="duplicates asked per role")
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--skip-latency", action="store_true", help="the evaluation set only")
    return parser.parse_args(argv)


def evaluation() -> None:
    """Print precision and recall with the confusion counts, per file and overall."""
    from prog_tracker.participants.matching import MATCH_THRESHOLD
    from tests.matching.test_evaluation import FILES, confusion, load_pairs

    total = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    started = time.perf_counter()
    for name in FILES:
        counts = confusion(load_pairs(name))
        total = {k: total[k] + counts[k] for k in total}
        print(f"  {name:20} {_figures(counts)}")
    elapsed = time.perf_counter() - started
    pairs = sum(total.values())
    print(f"  {'all':20} {_figures(total)}  (threshold {MATCH_THRESHOLD}, {pairs} pairs, "
          f"{elapsed * 1e6 / pairs:.0f} µs a pair)")  # fmt: skip


def _figures(counts: dict) -> str:
    """tp/fp/fn/tn with precision and recall."""
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    return (f"tp={counts['tp']} fp={counts['fp']} fn={counts['fn']} tn={counts['tn']} "
            f"precision={precision:.3f} recall={recall:.3f}")  # fmt: skip


def latency(args) -> bool:
    """Plant twins, time the duplicates route for an admin and an officer; True if p95 holds."""
    env = bench_environment(args.instance, args.database_url)
    env.pop("PROG_TRACKER_REDIS_URL", None)  # one process here: in-memory rate limits
    # The console script runs this checkout's code (not another the venv was installed from).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    seeded = prepare_database(args, env)
    if seeded is not None:
        print(f"  seed-scale --participants {args.participants}: {seeded:.0f} s")
    os.environ.update(env)
    from prog_tracker import create_app

    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        admin, officer, people = _actors_and_people(args)
        client = app.test_client()
        rng = random.Random(args.seed)  # nosec B311 # benchmark sampling
        originals = _plant(client, admin, rng.sample(people, args.planted))
        ok = True
        for label, (user, headers), sample in (
            ("admin", admin, people),
            ("officer", officer, [p for p in people if p["facility_id"] == officer[0].facility_id]),
        ):
            asked = [
                o for o in originals if label == "admin" or o["facility_id"] == user.facility_id
            ]
            asked += rng.sample(sample, max(0, args.requests - len(asked)))
            ok &= _time(client, label, headers, asked, originals)
        return ok


def _actors_and_people(args):
    """(admin, headers), (officer, headers) of the seeded world, and every person's fields."""
    from sqlalchemy import select

    from prog_tracker.auth.models import User
    from prog_tracker.auth.services import create_api_token
    from prog_tracker.core.models import utcnow
    from prog_tracker.extensions import db
    from prog_tracker.participants.models import Participant

    def actor(role):
        user = db.session.scalar(
            select(User).where(User.role == role, User.active.is_(True)).order_by(User.username)
        )
        # Staff tokens need MFA set up; the benchmark acts for the user in a throwaway
        # database, and a sign-in is not what it measures.
        user.mfa_confirmed_at = user.mfa_confirmed_at or utcnow()
        token = create_api_token(user, f"duplicates benchmark {time.time()}")[1]
        db.session.commit()
        return user, {"Authorization": f"Bearer {token}", "X-Access-Reason": "data_quality"}

    columns = (Participant.id, Participant.given_name, Participant.family_name,
               Participant.date_of_birth, Participant.sex, Participant.facility_id)  # fmt: skip
    people = [dict(row._mapping) for row in db.session.execute(select(*columns))]
    return actor("admin"), actor("officer"), people


def _plant(client, admin, chosen: list[dict]) -> list[dict]:
    """Register each chosen person again, respelled; returns the originals with their twin's id."""
    _, headers = admin
    planted = []
    for n, person in enumerate(chosen):
        given, family = person["given_name"], person["family_name"]
        body = {
            "prison_number": f"BENCH-TWIN-{n}",
            # Names swapped, in capitals: a register typed the other way round.
            "given_name": family.upper(),
            "family_name": given.upper(),
            "date_of_birth": person["date_of_birth"].isoformat(),
            "sex": person["sex"],
            "facility_id": person["facility_id"],
        }
        answer = client.post("/api/v1/participants", json=body, headers=headers)
        if answer.status_code != 201:
            sys.exit(f"Planting a twin failed: {answer.status_code} {answer.get_json()}")
        planted.append({**person, "twin": answer.get_json()["id"]})
    return planted


def _time(client, label: str, headers: dict, asked: list[dict], originals: list[dict]) -> bool:
    """GET the duplicates of each person asked; print p50/p95; check every twin was found."""
    twins = {o["id"]: o["twin"] for o in originals}
    times, missed, found = [], 0, 0
    for person in asked:
        started = time.perf_counter()
        answer = client.get(f"/api/v1/participants/{person['id']}/duplicates", headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            sys.exit(f"{label}: {answer.status_code} {answer.get_json()}")
        ids = [item["participant_id"] for item in answer.get_json()["items"]]
        found += len(ids)
        missed += person["id"] in twins and twins[person["id"]] not in ids
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(
        f"  {label:8} {len(times)} requests: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"max {max(times):.1f} ms; {found} duplicates listed, planted twins missed: {missed}"
    )
    return p95 < TARGET_P95_MS and missed == 0


def main(argv=None) -> int:
    """Run both parts; exit 1 when a planted twin is missed or p95 is over target."""
    args = parse_args(argv)
    print("Evaluation set (tests/data/duplicates):")
    evaluation()
    if args.skip_latency:
        return 0
    print(f"GET /api/v1/participants/<id>/duplicates among {args.participants} people:")
    ok = latency(args)
    print(f"  target p95 < {TARGET_P95_MS} ms: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
