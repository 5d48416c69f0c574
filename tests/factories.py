"""Factories that build valid records with sensible defaults."""

import itertools
import uuid
from datetime import date, timedelta

import pyotp

from prog_tracker.auth.models import User
from prog_tracker.auth.passwords import hash_password
from prog_tracker.certification.models import Assessment, Qualification, Skill
from prog_tracker.core.models import utcnow
from prog_tracker.devices.models import Device
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.participants.matching import refresh_match_keys
from prog_tracker.participants.models import Participant
from prog_tracker.participants.services import refresh_search_text
from prog_tracker.workshops.models import Cohort, Enrolment, Trade, WorkshopSession

PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)  # hashing once keeps the suite fast
_counter = itertools.count(1)


class Factory:
    """make.facility(), make.user("officer"), make.participant(), ..."""

    def facility(self, country="KZ", **kwargs) -> Facility:
        """A facility (prison) in country."""
        n = next(_counter)
        record = Facility(
            name=kwargs.pop("name", f"Facility {n}"),
            country=country,
            public_name=kwargs.pop("public_name", f"Training Centre {n}"),
            timezone=kwargs.pop("timezone", "Asia/Almaty"),
            **kwargs,
        )
        return self._save(record)

    def organisation(self, country="KZ", **kwargs) -> Organisation:
        """A partner NGO in country."""
        n = next(_counter)
        record = Organisation(
            name=kwargs.pop("name", f"Partner {n}"),
            country=country,
            kind=kwargs.pop("kind", "ngo"),
            **kwargs,
        )
        return self._save(record)

    def user(self, role="officer", **kwargs) -> User:
        """A user of role with the scope that role needs (MFA set up for MFA roles)."""
        n = next(_counter)
        if role in ("officer", "instructor") and "facility" not in kwargs:
            kwargs.setdefault("facility_id", kwargs.pop("facility_id", None) or self.facility().id)
        if "facility" in kwargs:
            kwargs["facility_id"] = kwargs.pop("facility").id
        if role == "caseworker" and "organisation_id" not in kwargs:
            kwargs["organisation_id"] = (kwargs.pop("organisation", None) or self.organisation()).id
        mfa = kwargs.pop("mfa", role in ("admin", "supervisor"))
        # Test users read English unless a test says otherwise: without a setting, a
        # facility in Kazakhstan would show its pages in Russian (SPEC §9).
        kwargs.setdefault("locale", "en")
        user = User(
            username=kwargs.pop("username", f"{role}{n}"),
            display_name=kwargs.pop("display_name", f"{role.title()} {n}"),
            role=role,
            password_hash=_HASH,
            **kwargs,
        )
        if mfa:
            user.totp_secret = pyotp.random_base32()
            user.mfa_confirmed_at = utcnow()
        return self._save(user)

    def device(self, user, revoked=False, wiped=False, **kwargs) -> Device:
        """A field device of user (SPEC §11), revoked and/or wiped when asked."""
        now = utcnow()
        record = Device(
            id=kwargs.pop("id", str(uuid.uuid4())),
            user_id=user.id,
            label=kwargs.pop("label", "Chrome · Android"),
            created_at=now,
            last_seen_at=kwargs.pop("last_seen_at", now),
            revoked_at=now if revoked or wiped else None,
            wiped_at=now if wiped else None,
            **kwargs,
        )
        return self._save(record)

    def participant(self, facility=None, **kwargs) -> Participant:
        """A participant in custody at facility."""
        n = next(_counter)
        record = Participant(
            facility_id=(facility or self.facility()).id,
            prison_number=kwargs.pop("prison_number", f"P-{n:05d}"),
            given_name=kwargs.pop("given_name", "Aigerim"),
            family_name=kwargs.pop("family_name", f"Family{n}"),
            date_of_birth=kwargs.pop("date_of_birth", date(1990, 1, 1)),
            sex=kwargs.pop("sex", "female"),
            **kwargs,
        )
        refresh_search_text(record)
        saved = self._save(record)
        # Keys as the services write them, so the matcher finds factory-made people.
        refresh_match_keys(saved)
        db.session.commit()
        return saved

    def trade(self, **kwargs) -> Trade:
        """A trade."""
        return self._save(Trade(name=kwargs.pop("name", f"Trade {next(_counter)}"), **kwargs))

    def skill(self, trade=None, **kwargs) -> Skill:
        """A skill of trade."""
        n = next(_counter)
        return self._save(
            Skill(
                trade_id=(trade or self.trade()).id,
                code=kwargs.pop("code", f"SK-{n}"),
                title=kwargs.pop("title", f"Skill {n}"),
                **kwargs,
            )
        )

    def qualification(self, trade=None, skills=None, **kwargs) -> Qualification:
        """A qualification of trade requiring skills (two new ones by default)."""
        trade = trade or self.trade()
        record = Qualification(
            trade_id=trade.id,
            title=kwargs.pop("title", f"Qualification {next(_counter)}"),
            level=kwargs.pop("level", "1"),
            **kwargs,
        )
        record.skills = list(skills) if skills is not None else [self.skill(trade) for _ in "ab"]
        return self._save(record)

    def cohort(self, facility=None, instructors=(), **kwargs) -> Cohort:
        """A cohort running from 30 days ago to 60 days ahead, with room for 10."""
        facility = facility or self.facility()
        trade = kwargs.pop("trade", None) or self.trade()
        today = date.today()
        record = Cohort(
            trade_id=trade.id,
            facility_id=facility.id,
            title=kwargs.pop("title", f"Cohort {next(_counter)}"),
            start_date=kwargs.pop("start_date", today - timedelta(days=30)),
            end_date=kwargs.pop("end_date", today + timedelta(days=60)),
            capacity=kwargs.pop("capacity", 10),
            **kwargs,
        )
        record.instructors = list(instructors)
        return self._save(record)

    def enrolment(self, cohort, participant, status="enrolled", **kwargs) -> Enrolment:
        """An enrolment of participant in cohort."""
        record = Enrolment(
            cohort_id=cohort.id,
            participant_id=participant.id,
            status=status,
            enrolled_on=kwargs.pop("enrolled_on", cohort.start_date),
            waitlisted_at=utcnow() if status == "waitlisted" else None,
            **kwargs,
        )
        if status == "waitlisted":
            record.enrolled_on = None
        return self._save(record)

    def session(self, cohort, **kwargs) -> WorkshopSession:
        """A session of cohort (today by default)."""
        return self._save(
            WorkshopSession(cohort_id=cohort.id, date=kwargs.pop("date", date.today()), **kwargs)
        )

    def assessment(self, cohort, participant, skill, assessor, **kwargs) -> Assessment:
        """A competent assessment of skill."""
        return self._save(
            Assessment(
                cohort_id=cohort.id,
                participant_id=participant.id,
                skill_id=skill.id,
                assessor_id=assessor.id,
                result=kwargs.pop("result", "competent"),
                assessed_on=kwargs.pop("assessed_on", date.today()),
                **kwargs,
            )
        )

    @staticmethod
    def _save(record):
        """Add and commit (to the test's savepoint)."""
        db.session.add(record)
        db.session.commit()
        return record

    # Release (issue 4): releases through the service, episodes, plan items, follow-ups.

    def release(self, participant, released_on=None, actor=None):
        """Release participant through the service (by an admin); returns the open episode."""
        from prog_tracker.core.dates import today_at
        from prog_tracker.release import services as release_services

        actor = actor or self.user("admin")
        day = released_on or today_at(participant.facility)
        release_services.release_participant(actor, participant, {"released_on": day})
        return release_services.open_episode(participant)

    def episode(self, participant, released_on, returned_on=None, schedule=True):
        """A release episode stored directly, with its follow-up schedule unless told not to."""
        from prog_tracker.release.followups import create_schedule
        from prog_tracker.release.models import ReleaseEpisode

        record = self._save(
            ReleaseEpisode(
                participant_id=participant.id, released_on=released_on, returned_on=returned_on
            )
        )
        if schedule:
            create_schedule(record)
            db.session.commit()
        return record

    def plan_item(self, participant, kind="housing", **kwargs):
        """A release plan item of participant (to do, due in 30 days by default)."""
        from prog_tracker.release.models import ReleasePlanItem

        return self._save(
            ReleasePlanItem(
                participant_id=participant.id,
                kind=kind,
                status=kwargs.pop("status", "todo"),
                due_date=kwargs.pop("due_date", date.today() + timedelta(days=30)),
                **kwargs,
            )
        )

    def follow_up(self, episode, sequence=1, offset_days=7, window_days=3):
        """One follow-up of episode, due offset_days after its release."""
        from prog_tracker.release.models import FollowUp

        return self._save(
            FollowUp(
                episode_id=episode.id,
                participant_id=episode.participant_id,
                sequence=sequence,
                offset_days=offset_days,
                due_on=episode.released_on + timedelta(days=offset_days),
                window_days=window_days,
            )
        )

    # Partners and aftercare (issue 4): referrals, consents, contacts, outcomes.

    def referral(self, participant, organisation, status="pending", **kwargs):
        """A referral of participant to organisation (accepted ones held by a caseworker)."""
        from prog_tracker.partners.models import Referral

        if status != "pending":
            kwargs.setdefault("responded_at", utcnow())
        return self._save(
            Referral(
                participant_id=participant.id,
                organisation_id=organisation.id,
                status=status,
                referred_by_id=kwargs.pop("referred_by", None) or self.user("admin").id,
                **kwargs,
            )
        )

    def consent(self, participant, organisation, **kwargs):
        """A signed consent given today (at the facility) for support after release."""
        from prog_tracker.core.dates import today_at
        from prog_tracker.partners.models import Consent

        return self._save(
            Consent(
                participant_id=participant.id,
                organisation_id=organisation.id,
                purpose="post_release_support",
                given_on=kwargs.pop("given_on", today_at(participant.facility)),
                method=kwargs.pop("method", "signed"),
                recorded_by_id=kwargs.pop("recorded_by", None) or self.user("admin").id,
                **kwargs,
            )
        )

    def contact(self, participant, caseworker, **kwargs):
        """A visit by caseworker (for their organisation) an hour ago."""
        from prog_tracker.aftercare.models import Contact

        return self._save(
            Contact(
                participant_id=participant.id,
                organisation_id=kwargs.pop("organisation_id", caseworker.organisation_id),
                caseworker_id=caseworker.id,
                occurred_at=kwargs.pop("occurred_at", utcnow() - timedelta(hours=1)),
                mode=kwargs.pop("mode", "visit"),
                needs=kwargs.pop("needs", []),
                **kwargs,
            )
        )

    def outcome(self, participant, recorder, **kwargs):
        """An outcome observed today: working formally, stable housing."""
        from prog_tracker.aftercare.models import Outcome
        from prog_tracker.core.dates import today_at

        return self._save(
            Outcome(
                participant_id=participant.id,
                organisation_id=kwargs.pop("organisation_id", recorder.organisation_id),
                recorded_by_id=recorder.id,
                observed_on=kwargs.pop("observed_on", today_at(participant.facility)),
                employment=kwargs.pop("employment", "employed_formal"),
                housing=kwargs.pop("housing", "stable"),
                returned_to_custody=kwargs.pop("returned_to_custody", False),
                **kwargs,
            )
        )

    def client_of(self, caseworker, participant=None, released_on=None, **kwargs):
        """A person the caseworker sees: released, an accepted referral to their
        organisation held by them, and an active consent. Returns the person."""
        from prog_tracker.directory.models import Organisation

        person = participant or self.participant(**kwargs)
        if person.status == "in_custody":
            self.release(person, released_on=released_on)
        organisation = db.session.get(Organisation, caseworker.organisation_id)
        self.referral(person, organisation, status="accepted", assigned_caseworker_id=caseworker.id)
        self.consent(person, organisation)
        return person
