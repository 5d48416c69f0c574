"""Optimistic concurrency: stale versions and lost races answer 409 with the current record."""

from flask_babel import lazy_gettext as _l

from prog_tracker.core.errors import ApiError


def check_version(record, version) -> None:
    """Answer 409 with the current record when the client's version is stale."""
    if version is not None and version != record.version:
        raise ApiError(
            409, "conflict", _l("Someone changed this record since you loaded it."), record=record
        )


def commit_or_conflict(record) -> None:
    """Commit; a concurrent update of record found at flush time answers 409 with it."""
    from sqlalchemy.orm.exc import StaleDataError

    from prog_tracker.extensions import db

    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ApiError(
            409, "conflict", _l("Someone changed this record since you loaded it."), record=record
        ) from None
