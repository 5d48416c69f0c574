"""Factories that build valid records with sensible defaults."""

import itertools
from datetime import date

import pyotp

from prog_tracker.auth.models import User
from prog_tracker.auth.passwords import hash_password
from prog_tracker.core.models import utcnow
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.participants.services import refresh_search_text

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
        return self._save(record)

    @staticmethod
    def _save(record):
        """Add and commit (to the test's savepoint)."""
        db.session.add(record)
        db.session.commit()
        return record
