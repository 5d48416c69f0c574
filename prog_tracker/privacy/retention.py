"""The retention schedule (docs/retention.md): what is anonymised or deleted, and when.

A case is closed when the person is out of custody (`released` or `closed`), no
referral is pending or accepted and no consent is active; it closed on the
latest dated event of the record (release, end of the last follow-up window,
contact, outcome, referral, consent, status change). Years after that day its
free text is blanked, later the person's identity. Anonymising keeps every id,
date, status and kind, so the indicators of SPEC §7 and the pseudonymised
exports count the same before and after. Work goes in batches of participants,
one transaction each, and audit events carry ids only.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import Text, cast, delete, func, or_, select, update

from prog_tracker.aftercare.models import (
    NEED_CODES,
    Contact,
    ContactVersion,
    Outcome,
)
from prog_tracker.auth.models import AuthSession, User
from prog_tracker.certification.models import Assessment, Certificate
from prog_tracker.core import audit
from prog_tracker.core.models import RecordMixin, utcnow
from prog_tracker.extensions import db
from prog_tracker.notifications.models import PushSubscription
from prog_tracker.participants.models import Participant, ReleaseDateChange
from prog_tracker.partners.models import OPEN_REFERRAL, Consent, Referral
from prog_tracker.privacy.retention_lock import run_lock
from prog_tracker.release.models import FollowUp, ReleaseEpisode, ReleasePlanItem, StatusChange
from prog_tracker.workshops.models import Attendance, AttendanceHistory

# Only people out of custody can have a closed case; returned people never qualify.
OUT_OF_CUSTODY = ("released", "closed")


@dataclass(frozen=True)
class FreeText:
    """Free-text columns of one table and how to reach its rows from participant ids."""

    entity: str
    model: type
    blank: dict
    # participant ids -> the statement's WHERE clause on this table
    owned_by: Callable


def _direct(model):
    """Rows with a participant_id column."""
    return lambda ids: model.participant_id.in_(ids)


def _contact_versions(ids):
    """Earlier versions of the people's contacts."""
    return ContactVersion.contact_id.in_(select(Contact.id).where(Contact.participant_id.in_(ids)))


def _attendance_history(ids):
    """Replaced attendance values of the people."""
    owned = select(Attendance.id).where(Attendance.participant_id.in_(ids))
    return AttendanceHistory.attendance_id.in_(owned)


# Contacts' needs keep the checklist's codes (aftercare.models.NEED_CODES) and lose the rest.
NEEDS_NONE = {"location": None, "summary": None}
FREE_TEXT = (
    FreeText("contact", Contact, NEEDS_NONE, _direct(Contact)),
    FreeText("contact_version", ContactVersion, NEEDS_NONE, _contact_versions),
    FreeText("outcome", Outcome, {"note": None}, _direct(Outcome)),
    FreeText("referral", Referral, {"reason": None}, _direct(Referral)),
    FreeText("release_plan_item", ReleasePlanItem, {"note": None}, _direct(ReleasePlanItem)),
    FreeText("status_change", StatusChange, {"note": None}, _direct(StatusChange)),
    FreeText(
        "release_date_change", ReleaseDateChange, {"reason": None}, _direct(ReleaseDateChange)
    ),
    FreeText("attendance", Attendance, {"note": None}, _direct(Attendance)),
    FreeText("attendance_history", AttendanceHistory, {"note": None}, _attendance_history),
    FreeText("assessment", Assessment, {"note": None}, _direct(Assessment)),
    FreeText("certificate", Certificate, {"revoked_reason": None}, _direct(Certificate)),
)


@dataclass
class Report:
    """Counts per (step, entity): what was changed, or would be on a dry run."""

    today: dt.date
    dry_run: bool
    counts: dict = field(default_factory=dict)

    def add(self, step: str, entity: str, number: int) -> None:
        """Count number more records of entity in step."""
        key = (step, entity)
        self.counts[key] = self.counts.get(key, 0) + number

    def lines(self) -> list[str]:
        """The report as text lines (counts only, never a name)."""
        verb = "would change" if self.dry_run else "changed"
        head = f"Retention as of {self.today.isoformat()}" + (
            " (dry run: nothing changed)" if self.dry_run else ""
        )
        body = [
            f"  {step:<12} {entity:<20} {n:>8} {verb}" for (step, entity), n in self.counts.items()
        ]
        return [head, *body]


def apply_retention(today: dt.date | None = None, dry_run: bool = False) -> Report:
    """Run every step of the configured schedule as of today (UTC); commit per batch."""
    # Raises retention_lock.RetentionBusy, before any change, while another run goes on.
    with run_lock():
        schedule = current_app.config["RETENTION"]
        today = today or utcnow().date()
        report = Report(today, dry_run)
        _announce(schedule, report)
        steps = (
            ("case_notes", schedule["case_notes_years"], _blank_free_text),
            ("identity", schedule["identity_years"], _anonymise_people),
        )
        for step, years, work in steps:
            if years is not None:
                _by_closed_case(step, _years_before(today, years), today, work, report)
        if schedule["ended_sessions_days"] is not None:
            _delete_ended_sessions(today, schedule["ended_sessions_days"], report)
        if schedule["deactivated_user_days"] is not None:
            _delete_deactivated_devices(today, schedule["deactivated_user_days"], report)
        return report


def _announce(schedule: dict, report: Report) -> None:
    """Start every enabled step's counts at 0, so the report shows what ran and found nothing."""
    entities = {
        "case_notes": [table.entity for table in FREE_TEXT],
        "identity": ["participant"]
        + ([] if schedule["keep_certificate_holder"] else ["certificate"]),
        "sessions": ["auth_session"],
        "devices": ["push_subscription"],
    }
    keys = ("case_notes_years", "identity_years", "ended_sessions_days", "deactivated_user_days")
    for (step, names), key in zip(entities.items(), keys, strict=True):
        if schedule[key] is not None:
            for name in names:
                report.add(step, name, 0)


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day years earlier (28 February for a 29th in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _by_closed_case(step, cutoff, today, work, report) -> None:
    """Apply work to the people whose case closed before cutoff, one batch at a time."""
    for ids in _batches(_people_out_of_custody(step == "identity"), _batch_size()):
        closed = closing_days(ids, today)
        due = sorted(pid for pid, day in closed.items() if day < cutoff)
        if due:
            work(step, due, report)
        _end_batch(report)


def _people_out_of_custody(not_yet_anonymised: bool):
    """The statement for ids of people out of custody (identity: those not yet anonymised)."""
    query = select(Participant.id).where(Participant.status.in_(OUT_OF_CUSTODY))
    if not_yet_anonymised:
        query = query.where(Participant.anonymised_at.is_(None))
    return query


def _batch_size() -> int:
    """Rows per transaction."""
    return current_app.config["RETENTION"]["batch_size"]


def _batches(query, size: int) -> Iterator[list]:
    """The ids query selects, in id order, size at a time (keyset: rows may change meanwhile)."""
    column = query.selected_columns[0]
    last = None
    while True:
        page = query if last is None else query.where(column > last)
        ids = list(db.session.scalars(page.order_by(column).limit(size)))
        if not ids:
            return
        yield ids
        last = ids[-1]


def _end_batch(report: Report) -> None:
    """Commit the batch's changes and audit events; a dry run leaves the database as it was."""
    if report.dry_run:
        db.session.rollback()
    else:
        db.session.commit()


def closing_days(ids: list[str], today: dt.date) -> dict[str, dt.date]:
    """The day each closed case among the people ids closed; open cases are left out."""
    still_open = _with_open_referral(ids) | _with_active_consent(ids, today)
    latest: dict[str, dt.date] = {}
    for pid, day in _dated_events(ids):
        if day is not None and (pid not in latest or day > latest[pid]):
            latest[pid] = day
    undated = [pid for pid in ids if pid not in latest]
    if undated:
        # A record with no dated event at all (closed without a release): its entry day.
        query = select(Participant.id, Participant.created_at).where(Participant.id.in_(undated))
        latest.update((pid, created.date()) for pid, created in db.session.execute(query))
    return {pid: day for pid, day in latest.items() if pid not in still_open}


def _with_open_referral(ids) -> set[str]:
    """People with a pending or accepted referral: a partner may still be working with them."""
    query = select(Referral.participant_id).where(
        Referral.participant_id.in_(ids), Referral.status.in_(OPEN_REFERRAL)
    )
    return set(db.session.scalars(query))


def _with_active_consent(ids, today: dt.date) -> set[str]:
    """People with a consent given, not withdrawn and not expired on today (as core.policy)."""
    query = select(Consent.participant_id).where(
        Consent.participant_id.in_(ids),
        Consent.withdrawn_on.is_(None),
        or_(Consent.expires_on.is_(None), Consent.expires_on >= today),
    )
    return set(db.session.scalars(query))


def _dated_events(ids) -> Iterator[tuple[str, dt.date | None]]:
    """(person, day) of every dated event that keeps a case going; days, not edit times,
    so that anonymising (which bumps updated_at) never restarts a clock."""
    yield from db.session.execute(
        select(Participant.id, Participant.actual_release_date).where(Participant.id.in_(ids))
    )
    for column in (
        ReleaseEpisode.released_on,
        ReleaseEpisode.returned_on,
        StatusChange.occurred_on,
        Outcome.observed_on,
        Consent.given_on,
    ):
        yield from _latest(column, ids)
    for column in (
        Contact.occurred_at,
        Referral.created_at,
        Referral.responded_at,
        Referral.closed_at,
    ):
        for pid, moment in _latest(column, ids):
            yield pid, moment.date() if moment else None
    yield from _follow_up_ends(ids)
    yield from _consent_ends(ids)


def _latest(column, ids):
    """(person, latest value of column) for the people ids."""
    owner = column.class_.participant_id
    return db.session.execute(
        select(owner, func.max(column)).where(owner.in_(ids)).group_by(owner)
    ).all()


def _follow_up_ends(ids):
    """(person, last day of a follow-up window): the schedule ends with its last window."""
    rows = db.session.execute(
        select(FollowUp.participant_id, FollowUp.due_on, FollowUp.window_days).where(
            FollowUp.participant_id.in_(ids)
        )
    )
    for pid, due_on, window in rows:
        yield pid, due_on + dt.timedelta(days=window)


def _consent_ends(ids):
    """(person, day a consent ended): withdrawn, or else expired."""
    rows = db.session.execute(
        select(Consent.participant_id, Consent.withdrawn_on, Consent.expires_on).where(
            Consent.participant_id.in_(ids)
        )
    )
    for pid, withdrawn_on, expires_on in rows:
        yield pid, withdrawn_on or expires_on


def _blank_free_text(step: str, ids: list[str], report: Report) -> None:
    """Blank every free-text column of the people's records (rows already blank are left)."""
    for table in FREE_TEXT:
        groups = _rows_with_text(table, ids)
        changed = sorted(row_id for group in groups.values() for row_id in group)
        report.add(step, table.entity, len(changed))
        if not changed or report.dry_run:
            continue
        for needs, group in groups.items():
            values = dict(table.blank)
            if needs is not None:
                values["needs"] = list(needs)
            if issubclass(table.model, RecordMixin):
                # Bulk updates bypass the ORM's version counter: devices must see a change.
                values.update(version=table.model.version + 1, updated_at=utcnow())
            db.session.execute(
                update(table.model).where(table.model.id.in_(group)).values(**values),
                execution_options={"synchronize_session": False},
            )
        audit.record("retention.anonymise", table.entity, changed, actor_id=None)


def _rows_with_text(table: FreeText, ids: list[str]) -> dict[tuple | None, list[str]]:
    """Ids of the table's rows of the people that still hold some free text, grouped by
    the needs they keep (None for tables without needs)."""
    texts = [getattr(table.model, name) for name in table.blank]
    holds_text = [column.is_not(None) for column in texts]
    if not hasattr(table.model, "needs"):
        query = select(table.model.id).where(table.owned_by(ids), or_(*holds_text))
        return {None: list(db.session.scalars(query))}
    needs = table.model.needs
    # JSON has no equality on PostgreSQL: compare its text ("[]" when empty).
    holds_text.append(cast(needs, Text) != "[]")
    query = select(table.model.id, needs, *texts).where(table.owned_by(ids), or_(*holds_text))
    groups: dict[tuple | None, list[str]] = {}
    for row_id, listed, *values in db.session.execute(query):
        # The checklist's codes are kinds, kept for the exports; anything typed is free text.
        kept = tuple(need for need in listed or () if need in NEED_CODES)
        if any(value is not None for value in values) or list(kept) != listed:
            groups.setdefault(kept, []).append(row_id)
    return groups


def _anonymise_people(step: str, ids: list[str], report: Report) -> None:
    """Blank the people's names, other names, prison numbers and search text; keep the
    year of birth only (or nothing); keep ids, sex, statuses and dates for the indicators."""
    schedule = current_app.config["RETENTION"]
    if not schedule["keep_certificate_holder"]:
        _blank_holder_names(step, ids, report)
    report.add(step, "participant", len(ids))
    if report.dry_run:
        return
    keep_year = schedule["keep_birth_year"]
    now = utcnow()
    for person in db.session.scalars(select(Participant).where(Participant.id.in_(ids))):
        person.given_name = ""
        person.family_name = ""
        person.other_names = None
        born = person.date_of_birth
        person.date_of_birth = dt.date(born.year, 1, 1) if born and keep_year else None
        # Unique per facility and meaningless outside this database.
        person.prison_number = person.id
        person.search_text = person.number_search_text = ""
        person.anonymised_at = now
    audit.record("retention.anonymise", "participant", ids, actor_id=None)


def _blank_holder_names(step: str, ids: list[str], report: Report) -> None:
    """Blank the holder's name printed on the people's certificates (verify then shows none)."""
    named = select(Certificate.id).where(
        Certificate.participant_id.in_(ids), Certificate.holder_name != ""
    )
    changed = list(db.session.scalars(named.order_by(Certificate.id)))
    report.add(step, "certificate", len(changed))
    if changed and not report.dry_run:
        db.session.execute(
            update(Certificate)
            .where(Certificate.id.in_(changed))
            .values(holder_name="", version=Certificate.version + 1, updated_at=utcnow()),
            execution_options={"synchronize_session": False},
        )
        audit.record("retention.anonymise", "certificate", changed, actor_id=None)


def _delete_ended_sessions(today: dt.date, days: int, report: Report) -> None:
    """Delete sign-in sessions that ended (expired or revoked) more than days ago."""
    cutoff = _start_of(today - dt.timedelta(days=days))
    ended = select(AuthSession.id).where(
        or_(AuthSession.expires_at < cutoff, AuthSession.revoked_at < cutoff)
    )
    _delete_in_batches("sessions", AuthSession, "auth_session", ended, report)


def _delete_deactivated_devices(today: dt.date, days: int, report: Report) -> None:
    """Delete the push subscriptions of users deactivated (last changed) more than days ago."""
    cutoff = _start_of(today - dt.timedelta(days=days))
    gone = select(User.id).where(User.active.is_(False), User.updated_at < cutoff)
    subscriptions = select(PushSubscription.id).where(PushSubscription.user_id.in_(gone))
    _delete_in_batches("devices", PushSubscription, "push_subscription", subscriptions, report)


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight UTC at the start of day."""
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _delete_in_batches(step: str, model, entity: str, query, report: Report) -> None:
    """Delete the rows query selects, a batch per transaction, auditing their ids."""
    for ids in _batches(query, _batch_size()):
        report.add(step, entity, len(ids))
        if not report.dry_run:
            db.session.execute(delete(model).where(model.id.in_(ids)))
            audit.record("retention.delete", entity, ids, actor_id=None)
        _end_batch(report)
