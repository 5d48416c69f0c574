"""The canary world: people inside and outside each role's scope, marked with
unique strings (canaries) in every field a page, an API answer, an export or a
sync pull could render.

Two countries (KZ, TN), three prisons (A and B in KZ, C in TN), an NGO per
prison's side (NGO A and NGO B in KZ, NGO C in TN). The five crawling users:
an admin, a supervisor of KZ, an officer of prison A, an instructor who teaches
cohort A1 (of prison A), and a caseworker of NGO A.

Who each crawler may see is in tests/security/canaries.py. The people, by what
they are for:

- a_taught: in custody at A, enrolled in A1 (the instructor's);
- a_alumnus: completed A1, then released; NGO A's client (the caseworker's);
- a_client: released from A; NGO A's client; NGO B also logged a contact;
- a_withdrawn, a_declined, a_closed, a_expired: NGO A *had* a case or a
  referral — consent withdrawn, referral declined, referral closed, consent
  expired — so the caseworker still lists the referral or consent, but no
  longer sees the person (the key attack);
- a_pending: in custody at A; a referral to NGO A waits for an answer (consent
  given): the inbox may name the person, never show the referral's reason;
- a_custody, a_other_cohort: in custody at A, not in A1 (a_other_cohort is in
  A2, another instructor's); a_returned: released and back in custody;
- a_other_org: NGO B's client;
- b_taught, b_pending (pending referral to NGO A, no consent), b_client: prison B;
- c_taught (certificate revoked), c_client (NGO C's): prison C, in Tunisia.

Everyone has a release-date change with a reason; released people have
contacts (with an earlier version), outcomes and release-plan notes.
"""

import datetime as dt

from prog_tracker.aftercare.models import ContactVersion
from prog_tracker.auth.services import create_api_token
from prog_tracker.certification.certificates import new_code
from prog_tracker.certification.models import Certificate
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.participants.models import ReleaseDateChange
from prog_tracker.release import services as release_services
from prog_tracker.workshops.models import Attendance
from tests.security.canaries import PEOPLE, Canary, World


class _Builder:
    """Builds the world with the test factories (each record committed to the test's
    savepoint)."""

    PRISONS = {"A": ("KZ", "Asia/Almaty"), "B": ("KZ", "Asia/Almaty"), "C": ("TN", "Africa/Tunis")}

    def __init__(self, make):
        self.make = make
        self.w = World(users={}, staff={}, people={})

    def build(self) -> World:
        """Create everything; returns the world."""
        make, w = self.make, self.w
        # Facility names are canaries too: caseworkers never receive facility internals.
        self.fac = {
            key: make.facility(
                country=country, timezone=zone, name=w.canary("facility_name", key, "facility")
            )
            for key, (country, zone) in self.PRISONS.items()
        }
        self.today = today_at(self.fac["A"])
        self.ngo = {
            "NGO A": make.organisation(country="KZ"),
            "NGO B": make.organisation(country="KZ"),
            "NGO C": make.organisation(country="TN"),
        }
        self._users()
        self._cohorts()
        for key, home in PEOPLE.items():
            self._person(key, home)
        self._stories()
        self._ids()
        db.session.commit()
        return w

    def _users(self) -> None:
        make, w = self.make, self.w
        w.users = {
            "admin": make.user("admin"),
            "supervisor": make.user("supervisor", country="KZ"),
            "officer": make.user("officer", facility=self.fac["A"]),
            "instructor": make.user("instructor", facility=self.fac["A"]),
            "caseworker": make.user("caseworker", organisation=self.ngo["NGO A"]),
        }
        w.staff = {
            "officer_a2": make.user("officer", facility=self.fac["A"]),
            "officer_b": make.user("officer", facility=self.fac["B"]),
            "officer_c": make.user("officer", facility=self.fac["C"]),
            "instructor_a2": make.user("instructor", facility=self.fac["A"]),
            "instructor_b": make.user("instructor", facility=self.fac["B"]),
            "instructor_c": make.user("instructor", facility=self.fac["C"]),
            "colleague": make.user("caseworker", organisation=self.ngo["NGO A"]),
            "caseworker_b": make.user("caseworker", organisation=self.ngo["NGO B"]),
            "caseworker_c": make.user("caseworker", organisation=self.ngo["NGO C"]),
            "supervisor_tn": make.user("supervisor", country="TN"),
        }
        for name, user in {**w.users, **w.staff}.items():
            token, _raw = create_api_token(user, f"canary {name}")
            w.tokens[name] = token.id
            # A field device each (SPEC §11): the registry and its revoke routes.
            w.devices[name] = make.device(user).id

    def _cohorts(self) -> None:
        make, w = self.make, self.w
        teachers = {
            "A1": ("A", w.users["instructor"]),
            "A2": ("A", w.staff["instructor_a2"]),
            "B1": ("B", w.staff["instructor_b"]),
            "C1": ("C", w.staff["instructor_c"]),
        }
        self.cohorts, self.sessions, self.skills, self.qualifications = {}, {}, {}, {}
        for key, (home, teacher) in teachers.items():
            trade = make.trade()
            skill = make.skill(trade)
            cohort = make.cohort(
                self.fac[home],
                instructors=[teacher],
                trade=trade,
                title=w.canary("cohort_title", key, "cohort"),
            )
            self.cohorts[key], self.skills[key] = cohort, skill
            self.qualifications[key] = make.qualification(trade, skills=[skill])
            self.sessions[key] = make.session(
                cohort,
                date=self.today - dt.timedelta(days=2),
                topic=w.canary("session_topic", key, "cohort"),
            )
            w.add_id("trade", trade.id, f"trade of {key}")
            w.add_id("skill", skill.id, f"skill of {key}")
            w.add_id("qualification", self.qualifications[key].id, f"qualification of {key}")

    def _person(self, key: str, home: str) -> None:
        make, w = self.make, self.w
        officer = self._officer(home)
        expected = self.today + dt.timedelta(days=120)
        person = make.participant(
            facility=self.fac[home],
            given_name=w.canary("given_name", key),
            family_name=w.canary("family_name", key),
            other_names=w.canary("other_names", key),
            prison_number=w.canary("prison_number", key, prefix="CNY-"),
            expected_release_date=expected,
            preferred_language="ru",
        )
        make._save(
            ReleaseDateChange(
                participant_id=person.id,
                previous_date=expected - dt.timedelta(days=30),
                new_date=expected,
                reason=w.canary("release_date_reason", key),
                changed_by_id=officer.id,
            )
        )
        w.people[key] = person.id
        setattr(self, key, person)

    def _officer(self, home: str):
        return self.w.users["officer"] if home == "A" else self.w.staff[f"officer_{home.lower()}"]

    # What happened to each person.

    def _stories(self) -> None:
        w = self.w
        self._learner("a_taught", "A1", attendance=True)
        self._plan_item("a_taught", "NGO B")
        self._referral("a_taught", "NGO B", "pending")
        self._learner("a_alumnus", "A1", status="completed")
        self._release("a_alumnus", 20)
        self._case("a_alumnus", "NGO A", w.users["caseworker"])
        self._release("a_client", 15)
        self._case("a_client", "NGO A", w.users["caseworker"])
        self._contact("a_client", w.staff["caseworker_b"], "NGO B")
        self._outcome("a_client", w.staff["caseworker_b"], "NGO B")
        for key, extra in (
            ("a_withdrawn", {"consent": {"withdrawn_on": self.today - dt.timedelta(days=1)}}),
            ("a_declined", {"status": "declined"}),
            ("a_closed", {"status": "closed"}),
            (
                "a_expired",
                {
                    "consent": {
                        "given_on": self.today - dt.timedelta(days=60),
                        "expires_on": self.today - dt.timedelta(days=1),
                    }
                },
            ),
        ):
            self._release(key, 25)
            self._case(key, "NGO A", w.users["caseworker"], **extra)
        self._referral("a_pending", "NGO A", "pending")
        self._consent("a_pending", "NGO A")
        self._plan_item("a_custody", "NGO A")
        self._referral("a_custody", "NGO B", "pending")
        self._learner("a_other_cohort", "A2", attendance=True)
        self._release("a_returned", 40)
        note = w.canary("status_note", "a_returned")
        back = {"on": self.today - dt.timedelta(days=5), "note": note}
        release_services.return_to_custody(w.users["officer"], self.a_returned, back)
        db.session.commit()
        self._release("a_other_org", 12)
        self._case("a_other_org", "NGO B", w.staff["caseworker_b"])
        self._learner("b_taught", "B1", attendance=True)
        self._referral("b_pending", "NGO A", "pending")
        self._release("b_client", 12)
        self._case("b_client", "NGO B", w.staff["caseworker_b"])
        self._learner("c_taught", "C1", attendance=True, revoked=True)
        self._release("c_client", 12)
        self._case("c_client", "NGO C", w.staff["caseworker_c"])

    def _learner(self, key, cohort_key, status="enrolled", attendance=False, revoked=False):
        make, w = self.make, self.w
        person, cohort = getattr(self, key), self.cohorts[cohort_key]
        teacher = cohort.instructors[0]
        enrolment = make.enrolment(cohort, person, status=status)
        w.add_id("enrolment", enrolment.id, f"{key} in {cohort_key}", key)
        w.related.append({"cohort_id": cohort.id, "participant_id": person.id})
        if attendance:
            attended = make._save(
                Attendance(
                    session_id=self.sessions[cohort_key].id,
                    participant_id=person.id,
                    status="late",
                    note=w.canary("attendance_note", key),
                    recorded_by_id=teacher.id,
                )
            )
            w.add_id("attendance", attended.id, f"{key}'s attendance", key)
        make.assessment(
            cohort, person, self.skills[cohort_key], teacher, note=w.canary("assessment_note", key)
        )
        issuer = w.users["admin"]
        certificate = make._save(
            Certificate(
                participant_id=person.id,
                qualification_id=self.qualifications[cohort_key].id,
                code=new_code(),
                issued_on=self.today,
                issued_by_id=issuer.id,
                holder_name=f"{person.given_name} {person.other_names} {person.family_name}",
                issuer_facility_id=person.facility_id,
                assessment_ids=[],
            )
        )
        if revoked:
            certificate.status, certificate.revoked_on = "revoked", self.today
            certificate.revoked_by_id = issuer.id
            certificate.revoked_reason = w.canary("revoked_reason", key)
            db.session.commit()
        # The code is a canary too: whoever may not see the person may not learn it.
        w.canaries.append(Canary(certificate.code, "certificate_code", key))
        w.codes[certificate.code] = key
        w.add_id("certificate", certificate.id, f"{key}'s certificate", key)

    def _release(self, key: str, days_ago: int) -> None:
        person = getattr(self, key)
        officer = self._officer(PEOPLE[key])
        self.make.release(person, self.today - dt.timedelta(days=days_ago), actor=officer)

    def _referral(self, key, organisation, status, **kwargs):
        w = self.w
        person = getattr(self, key)
        referral = self.make.referral(
            person,
            self.ngo[organisation],
            status,
            referred_by=self._officer(PEOPLE[key]).id,
            reason=w.canary("referral_reason", key, organisation=organisation),
            **kwargs,
        )
        w.add_id("referral", referral.id, f"{key}'s {status} referral to {organisation}", key)
        return referral

    def _consent(self, key, organisation, **kwargs):
        person = getattr(self, key)
        consent = self.make.consent(
            person,
            self.ngo[organisation],
            recorded_by=self._officer(PEOPLE[key]).id,
            **kwargs,
        )
        state = "withdrawn" if kwargs.get("withdrawn_on") else "given"
        self.w.add_id("consent", consent.id, f"{key}'s {state} consent to {organisation}", key)
        return consent

    def _case(self, key, organisation, caseworker, status="accepted", consent=None):
        """A referral (accepted unless told), a consent, and what NGO's work left behind."""
        self._referral(key, organisation, status, assigned_caseworker_id=caseworker.id)
        self._consent(key, organisation, **(consent or {}))
        self._contact(key, caseworker, organisation)
        self._outcome(key, caseworker, organisation)
        self._plan_item(key, organisation)

    def _contact(self, key, caseworker, organisation):
        make, w = self.make, self.w
        person = getattr(self, key)
        contact = make.contact(
            person,
            caseworker,
            location=w.canary("contact_location", key, organisation=organisation),
            summary=w.canary("contact_summary", key, organisation=organisation),
            needs=["work", w.canary("contact_need", key, organisation=organisation)],
            version=2,
        )
        written = contact.occurred_at - dt.timedelta(minutes=30)
        make._save(
            ContactVersion(
                contact_id=contact.id,
                version=1,
                occurred_at=written,
                mode="phone",
                summary=w.canary("contact_old_summary", key, organisation=organisation),
                needs=["work"],
                written_by_id=caseworker.id,
                written_at=written,
            )
        )
        w.add_id("contact", contact.id, f"{key}'s contact by {organisation}", key)

    def _outcome(self, key, caseworker, organisation):
        w = self.w
        outcome = self.make.outcome(
            getattr(self, key),
            caseworker,
            note=w.canary("outcome_note", key, organisation=organisation),
        )
        w.add_id("outcome", outcome.id, f"{key}'s outcome by {organisation}", key)

    def _plan_item(self, key, organisation):
        w = self.w
        item = self.make.plan_item(
            getattr(self, key),
            kind="housing",
            owner_organisation_id=self.ngo[organisation].id,
            note=w.canary("plan_note", key),
        )
        w.add_id("release_plan_item", item.id, f"{key}'s plan item", key)

    def _ids(self) -> None:
        w = self.w
        for key, person_id in w.people.items():
            w.add_id("participant", person_id, key, key)
        for key, cohort in self.cohorts.items():
            w.add_id("cohort", cohort.id, f"cohort {key}")
            w.add_id("session", self.sessions[key].id, f"session of {key}")
        for key, facility in self.fac.items():
            w.add_id("facility", facility.id, f"facility {key}")
        for key, organisation in self.ngo.items():
            w.add_id("organisation", organisation.id, key)
        for name, user in {**w.users, **w.staff}.items():
            w.add_id("user", user.id, name)
        for name, token_id in w.tokens.items():
            w.add_id("token", token_id, f"{name}'s API token")
        for name, device_id in w.devices.items():
            w.add_id("device", device_id, f"{name}'s device")


def build_world(make) -> World:
    """Seed the canary world (in the test's transaction)."""
    return _Builder(make).build()
