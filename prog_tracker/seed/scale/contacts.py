"""seed-scale: the contacts (a few edited) and outcomes of each person followed after release."""

import json

from prog_tracker.aftercare.models import Contact, ContactVersion, Outcome
from prog_tracker.seed.scale.base import RECORD, Seeding, bag, clamp
from prog_tracker.seed.scale.names import CONTACT_SUMMARIES, NEEDS
from prog_tracker.seed.scale.people import Person

CONTACTS_PER_PERSON = 10
MODES = bag(
    {"visit": 25, "phone": 35, "office": 15, "video": 5, "message": 10, "attempt_failed": 10}
)
REACHED = tuple(mode for mode in MODES if mode != "attempt_failed")
FAILED = "No answer; will try again."
# Share of cases whose first contact came within a week of release.
PROMPT = 0.7
# Share of a caseworker's contacts held near follow-up due dates: some keep to the
# schedule, others see people when they can.
DILIGENCE = (0.2, 0.45, 0.7)
EDITED = 0.02
# Needs noted: none, one, or two, as JSON text (what the JSON column stores).
NEEDS_JSON = (
    ("[]",) * 112
    + tuple(json.dumps([need]) for need in NEEDS) * 14
    + tuple(json.dumps([a, b]) for a in NEEDS for b in NEEDS if a != b)
)
OUTCOME_MARKS = (90, 180, 365)
OUTCOME_RECORDED = 0.85
# Work found grows with time out.
EMPLOYMENT = {
    90: bag(
        {
            "employed_formal": 12,
            "employed_informal": 22,
            "self_employed": 8,
            "in_training": 14,
            "unemployed": 36,
            "unknown": 8,
        }
    ),
    180: bag(
        {
            "employed_formal": 16,
            "employed_informal": 25,
            "self_employed": 11,
            "in_training": 11,
            "unemployed": 30,
            "unknown": 7,
        }
    ),
    365: bag(
        {
            "employed_formal": 20,
            "employed_informal": 26,
            "self_employed": 14,
            "in_training": 8,
            "unemployed": 26,
            "unknown": 6,
        }
    ),
}
EMPLOYED = ("employed_formal", "employed_informal", "self_employed")
USES_TRAINED_SKILL = bag({True: 55, False: 35, None: 10})
HOUSING = bag({"stable": 55, "temporary": 30, "homeless": 5, "unknown": 10})
CONTACT_COLUMNS = (
    *RECORD,
    "participant_id",
    "organisation_id",
    "caseworker_id",
    "occurred_at",
    "mode",
    "location",
    "summary",
    "needs",
)
VERSION_COLUMNS = (
    "id",
    "contact_id",
    "version",
    "occurred_at",
    "mode",
    "location",
    "summary",
    "needs",
    "written_by_id",
    "written_at",
    "replaced_at",
)
OUTCOME_COLUMNS = (
    *RECORD,
    "participant_id",
    "organisation_id",
    "recorded_by_id",
    "observed_on",
    "employment",
    "uses_trained_skill",
    "housing",
    "returned_to_custody",
)


class Case:
    """A person followed by an organisation's caseworker after their latest release."""

    __slots__ = ("caseworker_id", "end", "episode", "organisation", "person", "start")

    def __init__(self, person: Person, organisation: dict, caseworker_id: str, end: int):
        self.person, self.organisation, self.caseworker_id = person, organisation, caseworker_id
        self.episode = person.episodes[-1]
        self.start = self.episode[1]
        back = self.episode[2]
        self.end = end if back is None else min(end, back)


def seed_contacts(ctx: Seeding, cases: list[Case], people: int) -> None:
    """About ten contacts per person, shared among the cases by how long each was followed."""
    versions: list[tuple] = []
    counts = _contact_counts(cases, CONTACTS_PER_PERSON * people)
    rows = (
        row
        for case, count in zip(cases, counts, strict=True)
        for row in _contacts(ctx, case, count, versions)
    )
    ctx.insert(Contact, CONTACT_COLUMNS, rows)
    ctx.insert(ContactVersion, VERSION_COLUMNS, versions)
    ctx.insert(Outcome, OUTCOME_COLUMNS, (row for case in cases for row in _outcomes(ctx, case)))


def _contact_counts(cases: list[Case], target: int) -> list[int]:
    """Contacts per case, in proportion to how long each was followed, adding up to ~target."""
    spans = [max(0, case.end - case.start + 1) for case in cases]
    total = sum(spans) or 1
    return [max(1, round(target * span / total)) if span else 0 for span in spans]


def _contact_days(ctx: Seeding, case: Case, count: int) -> tuple[list[int], bool]:
    """(days, prompt): a first contact within the week for prompt cases, then contacts
    near follow-up due dates or on any day of the case."""
    start, end = case.start, case.end
    prompt = count > 0 and ctx.chance(PROMPT)
    days = [start + ctx.between(0, min(7, end - start))] if prompt else []
    earliest = start if prompt else min(start + 8, end)
    dues = [start + days for days, _window in ctx.follow_ups if start + days <= end]
    diligence = ctx.pick(DILIGENCE)
    for _ in range(count - len(days)):
        if dues and ctx.random() < diligence:
            day = clamp(ctx.pick(dues) + ctx.between(-5, 5), earliest, end)
        else:
            day = ctx.between(earliest, end)
        days.append(day)
    return days, prompt


def _contacts(ctx: Seeding, case: Case, count: int, versions: list):
    """The case's contacts; about one in fifty was edited and keeps its first version."""
    person, organisation = case.person, case.organisation
    places = {
        "visit": f"Home visit, {person.facility['city']}",
        "office": f"{organisation['name']} office",
    }
    who = (person.id, organisation["id"], case.caseworker_id)
    days, prompt = _contact_days(ctx, case, count)
    for number, day in enumerate(days):
        mode = ctx.pick(REACHED if prompt and not number else MODES)
        summary = FAILED if mode == "attempt_failed" else ctx.pick(CONTACT_SUMMARIES)
        at = ctx.stamp(day)
        row = (ctx.new_id(), at, at, 1, *who, at, mode, places.get(mode), summary)
        row += (ctx.pick(NEEDS_JSON),)
        if ctx.random() < EDITED:
            row = _edited(ctx, row, day, versions)
        yield row


def _edited(ctx: Seeding, row: tuple, day: int, versions: list) -> tuple:
    """row as completed the next day; its first version goes to contact_versions."""
    written, caseworker = row[1], row[6]
    replaced = ctx.day(day + 1) + written[10:]
    versions.append(
        (
            ctx.new_id(),
            row[0],
            1,
            row[7],
            row[8],
            row[9],
            "Draft note, completed the next day.",
            "[]",
            caseworker,
            written,
            replaced,
        )
    )
    return (row[0], written, replaced, 2, *row[4:])


def _outcomes(ctx: Seeding, case: Case):
    """Situations observed around 3, 6 and 12 months, and on a return to custody."""
    for mark in OUTCOME_MARKS:
        day = case.start + mark + ctx.between(-20, 20)
        if day <= case.end and day < ctx.today and ctx.chance(OUTCOME_RECORDED):
            yield _outcome(ctx, case, day, ctx.pick(EMPLOYMENT[mark]), returned=False)
    back = case.episode[2]
    if back is not None:
        yield _outcome(ctx, case, back, "unknown", returned=True)


def _outcome(ctx: Seeding, case: Case, day: int, employment: str, returned: bool) -> tuple:
    """One outcomes row."""
    employed = employment in EMPLOYED
    return (
        *ctx.meta(day),
        case.person.id,
        case.organisation["id"],
        case.caseworker_id,
        ctx.day(day),
        employment,
        ctx.pick(USES_TRAINED_SKILL) if employed else None,
        "unknown" if returned else ctx.pick(HOUSING),
        returned,
    )
