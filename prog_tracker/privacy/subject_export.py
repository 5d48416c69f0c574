"""Subject access (SPEC §8): everything held about one person, as a ZIP of JSON + PDF.

`subject.json` holds every row of every table that refers to the person (their
record, release dates and status history, release episodes and plan, workshop
enrolments, attendance and its history, assessments, certificates, referrals,
consents, contacts with every earlier version, follow-ups, outcomes), each row
with all its columns. Staff appear by id with their display name and role
only; organisations, facilities and the workshop catalogue entries the rows
name are listed beside them so the file reads on its own. `subject.pdf` is a
readable summary in the person's language, `README.txt` says what the files are.
"""

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from prog_tracker.aftercare.models import Contact, ContactVersion, Outcome
from prog_tracker.auth.models import User
from prog_tracker.certification.models import Assessment, Certificate, Qualification, Skill
from prog_tracker.core import audit, policy
from prog_tracker.core.errors import ApiError
from prog_tracker.core.i18n import COUNTRY_DEFAULTS
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.models import isoformat_z, utcnow
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.ops import files
from prog_tracker.participants.models import Participant, ReleaseDateChange
from prog_tracker.partners.consents import consent_state, consent_wording
from prog_tracker.partners.models import Consent, Referral
from prog_tracker.release.followups import participant_follow_ups
from prog_tracker.release.models import FollowUp, ReleaseEpisode, ReleasePlanItem, StatusChange
from prog_tracker.workshops.models import (
    Attendance,
    AttendanceHistory,
    Cohort,
    Enrolment,
    Trade,
    WorkshopSession,
)

SCHEMA_VERSION = 1
ACTION = "participant.subject_export"
REASON = "subject_access"
# Derived from the names and number for search; it holds nothing they do not.
LEFT_OUT_COLUMNS = {"participants": {"search_text", "number_search_text"}}


@dataclass(frozen=True)
class Section:
    """One kind of record about the person: its model and the order it is listed in."""

    key: str
    model: type
    order: tuple


# Tables whose rows carry the person's id, in the order of their journey.
SECTIONS = (
    Section("release_date_changes", ReleaseDateChange, ("changed_at", "id")),
    Section("status_changes", StatusChange, ("occurred_on", "recorded_at", "id")),
    Section("release_episodes", ReleaseEpisode, ("released_on", "id")),
    Section("release_plan_items", ReleasePlanItem, ("due_date", "kind", "id")),
    Section("enrolments", Enrolment, ("created_at", "id")),
    Section("attendance", Attendance, ("recorded_at", "id")),
    Section("assessments", Assessment, ("assessed_on", "created_at", "id")),
    Section("certificates", Certificate, ("issued_on", "id")),
    Section("referrals", Referral, ("created_at", "id")),
    Section("consents", Consent, ("given_on", "created_at", "id")),
    Section("contacts", Contact, ("occurred_at", "id")),
    Section("follow_ups", FollowUp, ()),  # in schedule order, from release.followups
    Section("outcomes", Outcome, ("observed_on", "created_at", "id")),
)
# Tables whose rows hang under another section's rows: (table, section, key, parent column).
NESTED = (
    (ContactVersion, "contacts", "versions", "contact_id"),
    (AttendanceHistory, "attendance", "history", "attendance_id"),
)
# Every table the export reads the person from (the test holds it to the schema).
EXPORTED_TABLES = frozenset(
    {Participant.__tablename__}
    | {section.model.__tablename__ for section in SECTIONS}
    | {model.__tablename__ for model, *_ in NESTED}
)
# Tables about the person the export leaves out, and why (the test holds these to
# the schema too): the matcher's keys are derived from the names and number, like
# search_text; a "not the same person" mark is a data-quality note that names
# another person, whose id the subject has no right to.
LEFT_OUT_TABLES = {
    "participant_match_keys": "derived from the names and prison number",
    "participant_not_duplicates": "names another person",
    # The records a merge joined are exported under the record kept; the merge's own row
    # holds the other record's id and what undo needs.
    "participant_merges": "a merge of two records: its records are exported under the one kept",
}
# Records the rows name by id, listed with these columns only (staff: no
# username, password, token, TOTP secret or session data).
RELATED = {
    "users": ("staff", User, ("display_name", "role")),
    "organisations": ("organisations", Organisation, ("name", "kind", "country")),
    "facilities": ("facilities", Facility, ("name", "public_name", "country", "timezone")),
    "trades": ("trades", Trade, ("name",)),
    "cohorts": ("cohorts", Cohort, ("title", "trade_id", "facility_id", "start_date", "end_date")),
    "workshop_sessions": ("sessions", WorkshopSession, ("cohort_id", "date", "topic")),
    "skills": ("skills", Skill, ("trade_id", "code", "title")),
    "qualifications": ("qualifications", Qualification, ("trade_id", "title", "level")),
}


class SubjectNotFound(LookupError):
    """No participant has this id (or the id is not a UUID)."""


class SubjectExportRefused(ValueError):
    """The command line named someone who may not answer a subject access request."""


def find_subject(participant_id: str, actor: User | None = None) -> Participant:
    """The participant with this id, through the policy when an admin is named (as the
    page does: a miss is audited as denied), or SubjectNotFound."""
    if actor is not None:
        audit.use_reason(REASON)  # the command is itself the reason, as the page is
        try:
            return policy.get_participant(actor, participant_id or "", ACTION)
        except ApiError:
            raise SubjectNotFound(participant_id) from None
    # The command line's own administrative lookup: no user is named to scope it by,
    # and whoever runs it already holds the database's credentials.
    canonical = parse_uuid(participant_id or "")
    found = db.session.get(Participant, canonical) if canonical else None
    if found is None:
        raise SubjectNotFound(participant_id)
    return found


def subject_locale(participant: Participant) -> str:
    """The person's language: their preferred one if the app speaks it, else their
    facility country's default (as the pages choose), else English."""
    available = current_app.config["TRANSLATED_LOCALES"]
    if participant.preferred_language in available:
        return participant.preferred_language
    country_default = COUNTRY_DEFAULTS.get(participant.facility.country)
    return country_default if country_default in available else "en"


def json_value(value):
    """A column value as JSON: dates ISO, timestamps UTC ISO with Z."""
    if isinstance(value, dt.datetime):
        return isoformat_z(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def row_of(record) -> dict:
    """Every column of a record (but derived search text), as JSON values."""
    table = record.__table__
    skip = LEFT_OUT_COLUMNS.get(table.name, set())
    return {
        column.key: json_value(getattr(record, column.key))
        for column in table.columns
        if column.key not in skip
    }


def _records(section: Section, participant: Participant) -> list:
    """The section's rows about the person, in the section's order."""
    model = section.model
    order = [getattr(model, name) for name in section.order]
    query = select(model).where(model.participant_id == participant.id).order_by(*order)
    return list(db.session.scalars(query))


def _follow_ups(participant: Participant) -> tuple[list, list[dict]]:
    """The person's follow-ups with their status today at the facility."""
    found = participant_follow_ups(participant)
    rows = [
        {
            **row_of(item["follow_up"]),
            "status": item["status"],
            "met_by_contact_id": item["met_by_contact_id"],
        }
        for item in found
    ]
    return [item["follow_up"] for item in found], rows


def _consent_rows(consents: list) -> list[dict]:
    """Consents with their state today and the wording shown in their language
    (none where the language it was read in was not recorded)."""
    return [
        {
            **row_of(consent),
            "state": consent_state(consent),
            "wording": (
                consent_wording(consent.organisation, consent.wording_locale)
                if consent.wording_locale
                else None
            ),
        }
        for consent in consents
    ]


def _nested(records: dict, rows: dict) -> None:
    """Hang each nested table's rows (earlier versions, replaced values) under their parent."""
    for model, section, key, parent_column in NESTED:
        parents = [record.id for record in records[section]]
        column = getattr(model, parent_column)
        children = (
            db.session.scalars(select(model).where(column.in_(parents)).order_by(model.id))
            if parents
            else []
        )
        by_parent: dict = {}
        for child in children:
            by_parent.setdefault(getattr(child, parent_column), []).append(child)
        for row in rows[section]:
            kids = sorted(by_parent.get(row["id"], []), key=_version_order)
            row[key] = [row_of(kid) for kid in kids]
        records[key] = [kid for kids in by_parent.values() for kid in kids]


def _version_order(record) -> tuple:
    """Oldest first: by version, then by when it was replaced."""
    return (record.version, record.replaced_at)


def collect_records(participant: Participant) -> tuple[dict, dict]:
    """(ORM records by section, JSON rows by section) about the person."""
    records, rows = {}, {}
    for section in SECTIONS:
        if section.key == "follow_ups":
            records[section.key], rows[section.key] = _follow_ups(participant)
            continue
        records[section.key] = _records(section, participant)
        rows[section.key] = [row_of(record) for record in records[section.key]]
    rows["consents"] = _consent_rows(records["consents"])
    _nested(records, rows)
    return records, rows


def _referenced(records: list, table_name: str) -> set[str]:
    """Ids of rows of table_name that these records name through a foreign key."""
    found = set()
    for record in records:
        for column in record.__table__.columns:
            for key in column.foreign_keys:
                value = getattr(record, column.key)
                if key.column.table.name == table_name and value is not None:
                    found.add(value)
    return found


def collect_related(records: list) -> dict:
    """The staff, organisations, facilities and catalogue entries the records name."""
    related: dict = {key: [] for key, _model, _columns in RELATED.values()}
    pending, seen = list(records), set()
    while pending:
        batch, pending = pending, []
        for table_name, (key, model, columns) in RELATED.items():
            ids = _referenced(batch, table_name) - seen
            if not ids:
                continue
            seen |= ids
            found = list(db.session.scalars(select(model).where(model.id.in_(ids))))
            related[key].extend({"id": r.id, **_columns_of(r, columns)} for r in found)
            pending.extend(found)  # cohorts name trades and facilities, and so on
    for rows in related.values():
        rows.sort(key=lambda row: row["id"])
    return related


def _columns_of(record, columns: tuple) -> dict:
    """The named columns of a record, as JSON values."""
    return {name: json_value(getattr(record, name)) for name in columns}


def subject_document(participant: Participant) -> dict:
    """The whole subject.json document for one person."""
    records, rows = collect_records(participant)
    everything = [participant, *(r for section in records.values() for r in section)]
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": isoformat_z(utcnow()),
        "language": subject_locale(participant),
        "participant": row_of(participant),
        "records": rows,
        "related": collect_related(everything),
    }


def build_subject_zip(participant: Participant) -> bytes:
    """The ZIP for one person: subject.json, subject.pdf and README.txt."""
    from prog_tracker.privacy.subject_pdf import readme_text, render_subject_pdf

    document = subject_document(participant)
    with force_locale(document["language"]):
        pdf = render_subject_pdf(document)
        readme = readme_text(document)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)
        archive.writestr("subject.json", text.encode("utf-8"))
        archive.writestr("subject.pdf", pdf)
        archive.writestr("README.txt", readme.encode("utf-8"))
    return buffer.getvalue()


def record_subject_export(participant: Participant, actor_id: str | None) -> None:
    """Account for an export in the audit trail (ids only, reason subject_access) and commit."""
    audit.record(ACTION, "participant", [participant.id], actor_id=actor_id, reason_code=REASON)
    db.session.commit()


def export_subject(participant: Participant, actor_id: str | None) -> bytes:
    """Build the person's ZIP and account for it before anyone receives it."""
    archive = build_subject_zip(participant)
    record_subject_export(participant, actor_id)
    return archive


def export_actor(username: str | None) -> User | None:
    """The active user named on the command line who may answer a subject access request
    (None when none is named); SubjectExportRefused otherwise."""
    if username is None:
        return None
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not policy.may(user, ACTION):
        raise SubjectExportRefused("--actor must name an active admin user.")
    return user


def write_subject_export(
    output: Path, participant: Participant, actor_id: str | None, force: bool = False
) -> None:
    """Write the person's ZIP to output, owner-only, and audit it: built in a private
    folder beside output, audited, then moved in place, so no file leaves without its
    event. files.OutputExists when output is taken (even by a symlink) and not force."""
    files.refuse_existing(output, force)  # before the work, and again as it is moved in
    data = build_subject_zip(participant)
    with files.private_folder(output) as work:
        finished = work / "subject.zip"
        files.write_private(finished, data)
        record_subject_export(participant, actor_id)
        files.publish(finished, output, force)


def export_file_name(participant: Participant) -> str:
    """The download's file name: the person's id, never their name."""
    return f"subject-{participant.id}.zip"
