"""Users, their server-side sessions and their API tokens."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prog_tracker.auth import mfa
from prog_tracker.core.models import RecordMixin, UTCDateTime, new_id, utcnow
from prog_tracker.extensions import db

ROLES = ("admin", "supervisor", "officer", "instructor", "caseworker")


class User(RecordMixin, db.Model):
    """A person who signs in."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    facility_id: Mapped[str | None] = mapped_column(ForeignKey("facilities.id"), index=True)
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    country: Mapped[str | None] = mapped_column(String(2))
    locale: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Encrypted at rest (auth/mfa.py); code reads and writes the totp_secret property.
    totp_secret_encrypted: Mapped[str | None] = mapped_column(String(255))
    mfa_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last TOTP time step accepted: a code is good for one use only.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    facility = relationship("Facility", lazy="joined")
    organisation = relationship("Organisation", lazy="joined")

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        """Every loaded user is authenticated."""
        return True

    @property
    def is_active(self) -> bool:
        """Deactivated users cannot sign in."""
        return self.active

    @property
    def is_anonymous(self) -> bool:
        """Users are never anonymous."""
        return False

    def get_id(self) -> str:
        """The id Flask-Login keeps."""
        return self.id

    @property
    def mfa_enabled(self) -> bool:
        """True once the user has confirmed a TOTP secret."""
        return self.mfa_confirmed_at is not None

    @property
    def totp_secret(self) -> str | None:
        """The plain base32 TOTP secret; None when unset or when it does not decrypt."""
        return mfa.readable_secret(self.id, self.totp_secret_encrypted)

    @totp_secret.setter
    def totp_secret(self, secret: str | None) -> None:
        """Store the secret encrypted, bound to this user's id."""
        if secret and self.id is None:
            self.id = new_id()  # the id is part of the ciphertext, so it is needed now
        self.totp_secret_encrypted = mfa.seal_secret(self.id, secret) if secret else None


class AuthSession(db.Model):
    """One sign-in: the cookie holds a random token, the row its hash."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # False until a user of an MFA role has set up and confirmed MFA.
    fully_signed_in: Mapped[bool] = mapped_column(Boolean, default=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The field device (devices.Device id) this sign-in was made from; it ends when that
    # device is revoked.
    device_id: Mapped[str | None] = mapped_column(String(100), index=True)

    user = relationship("User")


class ApiToken(db.Model):
    """A bearer token for an integration, stored hashed."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # read, sync or full (auth/scopes.py): what the token may do on its user's behalf.
    scope: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Every token ends: a leaked one cannot work for ever.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User")

    @property
    def expired(self) -> bool:
        """True once the token's lifetime is over."""
        return utcnow() >= self.expires_at
