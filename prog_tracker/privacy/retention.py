"""The retention schedule (docs/retention.md): what is anonymised or deleted, and when.

Years after the day a case closed (privacy.retention_due finds which cases are
closed, and since when) its free text is blanked, later the person's identity.
Anonymising keeps every id, date, status and kind, so the indicators of SPEC §7
and the pseudonymised exports count the same before and after. Work goes in
batches of participants, one transaction each, and audit events carry ids only.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import Text, cast, delete, or_, select, update

from prog_tracker.aftercare.models import NEED_CODES, Contact, ContactVersion, Outcome
from prog_tracker.auth.models import AuthSession, User
from prog_tracker.certification.models import Assessment, Certificate
from prog_tracker.core import audit
from prog_tracker.core.models import RecordMixin, utcnow
from prog_tracker.extensions import db
from prog_tracker.notifications.models import PushSubscription
from prog_tracker.participants.matching import refresh_match_keys
from prog_tracker.participants.models import Participant, ReleaseDateChange
from prog_tracker.partners.models import Referral
from prog_tracker.privacy.retention_due import batches, closed_before, years_before
from prog_tracker.privacy.retention_lock import run_lock
from prog_tracker.release.models import ReleasePlanItem, StatusChange
from prog_tracker.workshops.models import Attendance, AttendanceHistory


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
                _by_closed_case(step, years_before(today, years), today, work, report)
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


def _by_closed_case(step, cutoff, today, work, report) -> None:
    """Apply work to the people whose case closed before cutoff, one batch at a time."""
    for due in closed_before(cutoff, today, _batch_size(), step == "identity"):
        if due:
            work(step, due, report)
        _end_batch(report)


def _batch_size() -> int:
    """Rows per transaction."""
    return current_app.config["RETENTION"]["batch_size"]


def _end_batch(report: Report) -> None:
    """Commit the batch's changes and audit events; a dry run leaves the database as it was."""
    if report.dry_run:
        db.session.rollback()
    else:
        db.session.commit()


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
        # The matcher's keys are made of the names: they go with them.
        refresh_match_keys(person)
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
    for ids in batches(query, _batch_size()):
        report.add(step, entity, len(ids))
        if not report.dry_run:
            db.session.execute(delete(model).where(model.id.in_(ids)))
            audit.record("retention.delete", entity, ids, actor_id=None)
        _end_batch(report)
