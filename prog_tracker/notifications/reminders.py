"""What is due to whom at a moment: the reminders of issue 6, computed from the records.

Each reminder names its user, its kind and a key (kind and record) that is
unique per user: `sending.py` claims it by inserting that key, so whatever
is computed here twice is sent once. Reminders about a day go out from
REMINDER_HOUR local time at the person's facility, never at night. Every
recipient is checked with the policy module, as every page is: people must be
in their scope (for caseworkers, accepted referral and consent active on that
day), and a waiting referral must be one they may answer.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from prog_tracker.aftercare.models import Contact
from prog_tracker.auth.models import User
from prog_tracker.certification.models import Certificate
from prog_tracker.core import policy
from prog_tracker.extensions import db
from prog_tracker.notifications import kinds as k
from prog_tracker.notifications.clock import Clock
from prog_tracker.notifications.models import ReminderOptOut
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import Referral
from prog_tracker.release.followups import FAILED, status_on
from prog_tracker.release.models import FollowUp, ReleaseEpisode, ReleasePlanItem

# Release reminders: at most this many days ahead, and again from this many.
RELEASE_FIRST, RELEASE_LAST = 30, 7
REFERRAL_WAIT = dt.timedelta(days=3)
# Certificates older than this are not announced (a first run must not flood officers).
CERTIFICATE_NEWS_DAYS = 2
OPEN_PLAN = ("todo", "in_progress")


@dataclass(frozen=True)
class Reminder:
    """One reminder due to one user."""

    user_id: str
    kind: str
    key: str
    entity_id: str
    path: str
    expires_at: dt.datetime
    params: dict = field(default_factory=dict, hash=False, compare=False)
    urgency: str = "normal"


def due_reminders(now: dt.datetime) -> list[Reminder]:
    """Every reminder due at `now` (an aware moment), minus the kinds users switched off."""
    clock = Clock(now)
    audience = Audience(clock)
    found = [
        *_follow_up_reminders(clock, audience),
        *_release_reminders(clock, audience),
        *_referral_reminders(clock, audience),
        *_certificate_reminders(clock, audience),
    ]
    return audience.keep_wanted(found)


class Audience:
    """Who may receive what: active users of the right role, caseworkers in scope."""

    def __init__(self, clock: Clock):
        self.clock = clock
        self._users: dict = {}
        self._visible: dict = {}
        self._staff: dict = {}

    def user(self, user_id: str | None) -> User | None:
        """An active user, or None."""
        if user_id is None:
            return None
        if user_id not in self._users:
            user = db.session.get(User, user_id)
            self._users[user_id] = user if user is not None and user.active else None
        return self._users[user_id]

    def may_receive(self, user: User | None, kind: str) -> bool:
        """True when the user is active and of a role this kind goes to."""
        return user is not None and user.role in k.KINDS[kind]

    def sees(self, user: User, participant_id: str) -> bool:
        """True when the user may see the person on their facility's day (consent included)."""
        if user.id not in self._visible:
            scope = policy.visible_participants(user, self.clock.dates())
            ids = db.session.scalars(scope.with_only_columns(Participant.id))
            self._visible[user.id] = set(ids)
        return participant_id in self._visible[user.id]

    def officers_of(self, facility_id: str) -> list[User]:
        """The active officers of a facility."""
        return self._staff_of("officer", facility_id, policy.officers_of)

    def caseworkers_of(self, organisation_id: str) -> list[User]:
        """The active caseworkers of an organisation."""
        return self._staff_of("caseworker", organisation_id, policy.caseworkers_of)

    def _staff_of(self, role: str, value: str, staff) -> list[User]:
        """The active staff of a facility or organisation (read once per run)."""
        if (role, value) not in self._staff:
            rows = db.session.scalars(staff(value))
            self._staff[role, value] = [self._users.setdefault(u.id, u) for u in rows]
        return self._staff[role, value]

    def assigned_caseworkers(self, participant_id: str) -> list[User]:
        """The assigned caseworkers of the person's accepted referrals who may see them."""
        ids = db.session.scalars(
            select(Referral.assigned_caseworker_id).where(
                Referral.participant_id == participant_id,
                Referral.status == "accepted",
                Referral.assigned_caseworker_id.is_not(None),
            )
        )
        found = [self.user(user_id) for user_id in dict.fromkeys(ids)]
        return [
            u
            for u in found
            if u is not None
            and policy.own_organisation(u) is not None
            and self.sees(u, participant_id)
        ]

    def keep_wanted(self, reminders: list[Reminder]) -> list[Reminder]:
        """Drop the kinds each user switched off."""
        users = {r.user_id for r in reminders}
        if not users:
            return []
        off = set(
            db.session.execute(
                select(ReminderOptOut.user_id, ReminderOptOut.kind).where(
                    ReminderOptOut.user_id.in_(users)
                )
            )
        )
        return [r for r in reminders if (r.user_id, r.kind) not in off]


def _follow_up_reminders(clock: Clock, audience: Audience) -> list[Reminder]:
    """Due tomorrow (not yet met) and overdue follow-ups, to the assigned caseworkers."""
    candidates = _open_follow_ups(clock)
    contacts = _successful_contacts({f.participant_id for f in candidates})
    found = []
    for follow_up in candidates:
        person = follow_up.episode.participant
        day = clock.at(person.facility_id)
        if not day.ready:
            continue
        status = status_on(follow_up, contacts[person.id], day.today)[0]
        kind = _follow_up_kind(follow_up, status, day.today)
        if kind is None:
            continue
        urgency = "high" if kind == k.FOLLOW_UP_OVERDUE else "normal"
        expires = _follow_up_expiry(follow_up, kind, day)
        for user in audience.assigned_caseworkers(person.id):
            if audience.may_receive(user, kind):
                found.append(
                    Reminder(
                        user.id,
                        kind,
                        f"{kind}:{follow_up.id}",
                        follow_up.id,
                        f"/app/people/{person.id}",
                        expires,
                        {
                            "sequence": follow_up.sequence,
                            "offset_days": follow_up.offset_days,
                            "due_on": follow_up.due_on.isoformat(),
                        },
                        urgency,
                    )
                )
    return found


def _follow_up_kind(follow_up: FollowUp, status: str, today: dt.date) -> str | None:
    """follow_up_due the day before it is due (unless met), follow_up_overdue once overdue."""
    if status == "overdue":
        return k.FOLLOW_UP_OVERDUE
    if status != "met" and follow_up.due_on == today + dt.timedelta(days=1):
        return k.FOLLOW_UP_DUE
    return None


def _follow_up_expiry(follow_up: FollowUp, kind: str, day) -> dt.datetime:
    """Due tomorrow: stale at the end of today; overdue: at the end of the window."""
    if kind == k.FOLLOW_UP_DUE:
        return day.ends_at
    days_left = (follow_up.due_on + dt.timedelta(days=follow_up.window_days) - day.today).days
    return day.ends_at + dt.timedelta(days=max(0, days_left))


def _open_follow_ups(clock: Clock) -> list[FollowUp]:
    """Follow-ups of open episodes that may be due tomorrow or overdue at some facility."""
    widest = db.session.scalar(select(db.func.max(FollowUp.window_days))) or 0
    first = clock.earliest() - dt.timedelta(days=widest)
    last = clock.latest() + dt.timedelta(days=1)
    return list(
        db.session.scalars(
            select(FollowUp)
            .join(ReleaseEpisode, FollowUp.episode_id == ReleaseEpisode.id)
            .where(FollowUp.due_on.between(first, last), ReleaseEpisode.returned_on.is_(None))
            .order_by(FollowUp.due_on, FollowUp.id)
        )
    )


def _successful_contacts(participant_ids: set) -> defaultdict:
    """participant id -> their contacts other than failed attempts."""
    found = defaultdict(list)
    if participant_ids:
        rows = db.session.scalars(
            select(Contact).where(
                Contact.participant_id.in_(participant_ids), Contact.mode != FAILED
            )
        )
        for contact in rows:
            found[contact.participant_id].append(contact)
    return found


def _release_reminders(clock: Clock, audience: Audience) -> list[Reminder]:
    """Releases within 30 (then 7) days with plan items open: officers and caseworkers."""
    found = []
    for person, open_items in _releases_ahead(clock):
        day = clock.at(person.facility_id)
        days_left = (person.expected_release_date - day.today).days
        if not day.ready or not 0 <= days_left <= RELEASE_FIRST:
            continue
        stage = RELEASE_LAST if days_left <= RELEASE_LAST else RELEASE_FIRST
        date = person.expected_release_date.isoformat()
        key = f"{k.RELEASE_SOON}:{stage}:{person.id}:{date}"
        expires = day.ends_at + dt.timedelta(days=days_left)
        params = {"release_on": date, "open_items": open_items, "stage": stage}
        for user in _release_audience(audience, person):
            path = (
                f"/app/people/{person.id}"
                if user.role == "caseworker"
                else f"/participants/{person.id}/release-plan"
            )
            found.append(Reminder(user.id, k.RELEASE_SOON, key, person.id, path, expires, params))
    return found


def _release_audience(audience: Audience, person: Participant) -> list[User]:
    """The facility's officers and the assigned caseworkers who may see the person."""
    users = [*audience.officers_of(person.facility_id), *audience.assigned_caseworkers(person.id)]
    return [
        u for u in users if audience.may_receive(u, k.RELEASE_SOON) and audience.sees(u, person.id)
    ]


def _releases_ahead(clock: Clock) -> list[tuple[Participant, int]]:
    """People in custody released within 30 days somewhere, with their open plan items."""
    last = clock.latest() + dt.timedelta(days=RELEASE_FIRST)
    rows = db.session.execute(
        select(Participant, db.func.count(ReleasePlanItem.id))
        .join(ReleasePlanItem, ReleasePlanItem.participant_id == Participant.id)
        .where(
            Participant.status == "in_custody",
            Participant.expected_release_date.between(clock.earliest(), last),
            ReleasePlanItem.status.in_(OPEN_PLAN),
        )
        .group_by(Participant.id)
        .order_by(Participant.id)
    )
    return [(person, count) for person, count in rows]


def _referral_reminders(clock: Clock, audience: Audience) -> list[Reminder]:
    """Referrals pending for three days: every caseworker of the organisation."""
    found = []
    rows = db.session.execute(
        select(Referral, Participant.facility_id)
        .join(Participant, Referral.participant_id == Participant.id)
        .where(Referral.status == "pending", Referral.created_at <= clock.now - REFERRAL_WAIT)
        .order_by(Referral.created_at, Referral.id)
    )
    for referral, facility_id in rows:
        day = clock.at(facility_id)
        if not day.ready:
            continue
        params = {"referred_on": referral.created_at.date().isoformat()}
        key = f"{k.REFERRAL_WAITING}:{referral.id}"
        for user in audience.caseworkers_of(referral.organisation_id):
            if not policy.may(user, "referral.respond", referral):
                continue  # the policy module decides, as on the inbox page
            found.append(
                Reminder(
                    user.id,
                    k.REFERRAL_WAITING,
                    key,
                    referral.id,
                    "/referrals/inbox",
                    day.ends_at,
                    params,
                )
            )
    return found


def _certificate_reminders(clock: Clock, audience: Audience) -> list[Reminder]:
    """Certificates issued in the last two days: the person's facility's officers."""
    since = clock.earliest() - dt.timedelta(days=CERTIFICATE_NEWS_DAYS)
    rows = db.session.execute(
        select(Certificate, Participant.facility_id)
        .join(Participant, Certificate.participant_id == Participant.id)
        .where(Certificate.status == "valid", Certificate.issued_on >= since)
        .order_by(Certificate.issued_on, Certificate.id)
    )
    found = []
    for certificate, facility_id in rows:
        day = clock.at(facility_id)
        if (
            not day.ready
            or not 0 <= (day.today - certificate.issued_on).days <= CERTIFICATE_NEWS_DAYS
        ):
            continue
        key = f"{k.CERTIFICATE_ISSUED}:{certificate.id}"
        params = {"issued_on": certificate.issued_on.isoformat()}
        for user in audience.officers_of(facility_id):
            # Who issued it knows; the others must see the person (the policy's scope).
            if user.id != certificate.issued_by_id and audience.sees(
                user, certificate.participant_id
            ):
                found.append(
                    Reminder(
                        user.id,
                        k.CERTIFICATE_ISSUED,
                        key,
                        certificate.id,
                        f"/certificates/{certificate.id}",
                        day.ends_at + dt.timedelta(days=2),
                        params,
                    )
                )
    return found
