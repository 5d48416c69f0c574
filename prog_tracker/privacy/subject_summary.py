"""What the subject access summary says about each record, as label/value pairs.

The pairs are written from the subject.json document in the current (forced)
locale: labels, stored codes (statuses, kinds, methods) and dates come out in
the person's language; ids stay in the JSON, names of what they stand for come
from its `related` section.
"""

import datetime as dt
from types import SimpleNamespace

from flask_babel import gettext as _
from flask_babel import pgettext

from prog_tracker.aftercare.labels import (
    CONTACT_MODE_LABELS,
    EMPLOYMENT_LABELS,
    HOUSING_LABELS,
    NEED_LABELS,
)
from prog_tracker.certification.labels import CERTIFICATE_STATUS_LABELS, RESULT_LABELS
from prog_tracker.core.bidi import printable_name
from prog_tracker.core.i18n import LANGUAGE_NAMES, format_day, format_local_datetime
from prog_tracker.participants.labels import SEX_LABELS, STATUS_LABELS
from prog_tracker.partners.labels import (
    CONSENT_METHOD_LABELS,
    CONSENT_PURPOSE_LABELS,
    CONSENT_STATE_LABELS,
    REFERRAL_STATUS_LABELS,
)
from prog_tracker.release.labels import (
    FOLLOW_UP_STATUS_LABELS,
    PLAN_KIND_LABELS,
    PLAN_STATUS_LABELS,
    STATUS_EVENT_LABELS,
)
from prog_tracker.workshops.labels import (
    ATTENDANCE_STATUS_LABELS,
    ENROLMENT_STATUS_LABELS,
    WITHDRAWAL_REASON_LABELS,
)

NONE = "—"


class Names:
    """What the ids in a document stand for, from its `related` section."""

    def __init__(self, document: dict):
        related = document["related"]
        self.by_kind = {kind: {row["id"]: row for row in rows} for kind, rows in related.items()}
        facility = self.get("facilities", document["participant"]["facility_id"]) or {}
        # The person's facility's clock, for times of day.
        self.facility = SimpleNamespace(timezone=facility.get("timezone"))

    def get(self, kind: str, record_id) -> dict | None:
        """The related row of this kind and id."""
        return self.by_kind.get(kind, {}).get(record_id)

    def title(self, kind: str, record_id, column: str = "name") -> str | None:
        """One column of a related row (a name or title)."""
        row = self.get(kind, record_id)
        return row.get(column) if row else None

    def staff(self, user_id) -> str | None:
        """A staff member's display name."""
        return printable_name(self.title("staff", user_id, "display_name")) or None

    def workshop(self, cohort_id) -> str | None:
        """A cohort's title and trade."""
        cohort = self.get("cohorts", cohort_id)
        if cohort is None:
            return None
        trade = self.title("trades", cohort["trade_id"])
        return f"{cohort['title']} ({trade})" if trade else cohort["title"]

    def moment(self, text: str | None) -> str:
        """A stored UTC time as date and time on the facility's clock."""
        if not text:
            return NONE
        return format_local_datetime(dt.datetime.fromisoformat(text), self.facility)


def _label(labels: dict, code) -> str | None:
    """The translated label of a stored code (the code itself if it has none)."""
    return str(labels[code]) if code in labels else code


def _yes_no(value) -> str:
    """Yes, No or a dash."""
    return NONE if value is None else (_("Yes") if value else _("No"))


def full_name(person: dict) -> str:
    """The person's given and family names as printed (subject.json keeps them as stored)."""
    return f"{printable_name(person['given_name'])} {printable_name(person['family_name'])}"


def person_fields(names: Names, person: dict) -> list:
    """Label/value pairs of the person's own record."""
    return [
        (_("Name"), full_name(person)),
        (_("Other names"), printable_name(person["other_names"]) or None),
        (_("Date of birth"), format_day(person["date_of_birth"])),
        (_("Sex"), _label(SEX_LABELS, person["sex"])),
        (_("Preferred language"), LANGUAGE_NAMES.get(person["preferred_language"])),
        (_("Facility"), names.title("facilities", person["facility_id"])),
        (_("Prison number"), person["prison_number"]),
        (_("Status"), _label(STATUS_LABELS, person["status"])),
        (_("Expected release date"), format_day(person["expected_release_date"])),
        (_("Actual release date"), format_day(person["actual_release_date"])),
        (_("Recorded on"), names.moment(person["created_at"])),
    ]


def _release_fields(names: Names, key: str, row: dict) -> list:
    """Label/value pairs of release records."""
    if key == "release_date_changes":
        return [
            (_("Changed on"), names.moment(row["changed_at"])),
            (pgettext("release date change", "From"), format_day(row["previous_date"])),
            (pgettext("release date change", "To"), format_day(row["new_date"])),
            (_("Reason"), row["reason"]),
            (_("Changed by"), names.staff(row["changed_by_id"])),
        ]
    if key == "status_changes":
        return [
            (_("Change"), _label(STATUS_EVENT_LABELS, row["kind"])),
            (_("Date"), format_day(row["occurred_on"])),
            (_("Note"), row["note"]),
            (_("Recorded by"), names.staff(row["recorded_by_id"])),
        ]
    if key == "release_episodes":
        return [
            (_("Released on"), format_day(row["released_on"])),
            (_("Returned on"), format_day(row["returned_on"])),
        ]
    return [
        (_("Kind"), _label(PLAN_KIND_LABELS, row["kind"])),
        (_("Status"), _label(PLAN_STATUS_LABELS, row["status"])),
        (_("Due date"), format_day(row["due_date"])),
        (_("Organisation"), names.title("organisations", row["owner_organisation_id"])),
        (_("Note"), row["note"]),
    ]


def _training_fields(names: Names, key: str, row: dict) -> list:
    """Label/value pairs of workshop records."""
    if key == "enrolments":
        return [
            (_("Workshop"), names.workshop(row["cohort_id"])),
            (_("Status"), _label(ENROLMENT_STATUS_LABELS, row["status"])),
            (_("Reason"), _label(WITHDRAWAL_REASON_LABELS, row["status_reason"])),
            (_("Enrolled on"), format_day(row["enrolled_on"])),
            (_("Ended on"), format_day(row["ended_on"])),
        ]
    if key == "attendance":
        session = names.get("sessions", row["session_id"]) or {}
        earlier = [_label(ATTENDANCE_STATUS_LABELS, h["status"]) for h in row["history"]]
        return [
            (_("Session"), format_day(session.get("date"))),
            (_("Workshop"), names.workshop(session.get("cohort_id"))),
            (_("Attendance"), _label(ATTENDANCE_STATUS_LABELS, row["status"])),
            (_("Note"), row["note"]),
            (_("Earlier versions"), ", ".join(earlier) if earlier else None),
        ]
    if key == "assessments":
        return [
            (_("Skill"), names.title("skills", row["skill_id"], "title")),
            (_("Result"), _label(RESULT_LABELS, row["result"])),
            (_("Assessed on"), format_day(row["assessed_on"])),
            (_("Assessed by"), names.staff(row["assessor_id"])),
            (_("Note"), row["note"]),
        ]
    return [
        (_("Qualification"), names.title("qualifications", row["qualification_id"], "title")),
        (_("Level"), names.title("qualifications", row["qualification_id"], "level")),
        (_("Issued on"), format_day(row["issued_on"])),
        (_("Verification code"), row["code"]),
        (_("Status"), _label(CERTIFICATE_STATUS_LABELS, row["status"])),
        (_("Reason"), row["revoked_reason"]),
    ]


def _partner_fields(names: Names, key: str, row: dict) -> list:
    """Label/value pairs of referrals and consents."""
    organisation = names.title("organisations", row["organisation_id"])
    if key == "referrals":
        return [
            (_("Organisation"), organisation),
            (_("Status"), _label(REFERRAL_STATUS_LABELS, row["status"])),
            (_("Reason"), row["reason"]),
            (_("Referred on"), names.moment(row["created_at"])),
            (_("Caseworker"), names.staff(row["assigned_caseworker_id"])),
        ]
    return [
        (_("Organisation"), organisation),
        (_("Purpose"), _label(CONSENT_PURPOSE_LABELS, row["purpose"])),
        (_("Given on"), format_day(row["given_on"])),
        (_("How the person consented"), _label(CONSENT_METHOD_LABELS, row["method"])),
        (_("Expires on"), format_day(row["expires_on"])),
        (_("Withdrawn on"), format_day(row["withdrawn_on"])),
        (_("Consent"), _label(CONSENT_STATE_LABELS, row["state"])),
        (_("Language"), LANGUAGE_NAMES.get(row["wording_locale"])),
        (_("Wording read to you"), row["wording"]),
    ]


def _aftercare_fields(names: Names, key: str, row: dict) -> list:
    """Label/value pairs of contacts, follow-ups and outcomes."""
    if key == "contacts":
        needs = ", ".join(_label(NEED_LABELS, need) for need in row["needs"] or [])
        return [
            (_("When"), names.moment(row["occurred_at"])),
            (_("How"), _label(CONTACT_MODE_LABELS, row["mode"])),
            (_("Organisation"), names.title("organisations", row["organisation_id"])),
            (_("Caseworker"), names.staff(row["caseworker_id"])),
            (_("Place"), row["location"]),
            (_("What was discussed"), row["summary"]),
            (_("Needs"), needs),
            *(
                (_("Earlier version"), f"{names.moment(v['occurred_at'])} · {v['summary'] or ''}")
                for v in row["versions"]
            ),
        ]
    if key == "follow_ups":
        return [
            (_("Due on"), format_day(row["due_on"])),
            (_("Window (days either side)"), row["window_days"]),
            (_("Status"), _label(FOLLOW_UP_STATUS_LABELS, row["status"])),
        ]
    return [
        (_("Observed on"), format_day(row["observed_on"])),
        (_("Employment"), _label(EMPLOYMENT_LABELS, row["employment"])),
        (_("Uses the trained skill"), _yes_no(row["uses_trained_skill"])),
        (_("Housing"), _label(HOUSING_LABELS, row["housing"])),
        (_("Returned to custody"), _yes_no(row["returned_to_custody"])),
        (_("Note"), row["note"]),
    ]


def sections() -> tuple:
    """(key, heading, writer of its fields) in the order of the journey."""
    return (
        ("release_date_changes", _("Expected release date history"), _release_fields),
        ("status_changes", _("Custody status history"), _release_fields),
        ("release_episodes", _("Times out of custody"), _release_fields),
        ("release_plan_items", _("Release plan"), _release_fields),
        ("enrolments", _("Enrolments"), _training_fields),
        ("attendance", _("Attendance"), _training_fields),
        ("assessments", _("Skills assessed"), _training_fields),
        ("certificates", _("Certificates"), _training_fields),
        ("referrals", _("Referrals"), _partner_fields),
        ("consents", _("Consents"), _partner_fields),
        ("contacts", _("Contacts"), _aftercare_fields),
        ("follow_ups", _("Follow-ups"), _aftercare_fields),
        ("outcomes", _("Outcomes"), _aftercare_fields),
    )
