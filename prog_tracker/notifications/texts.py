"""A reminder's title and body, in its user's language (SPEC §9).

No names and no case details: a notification shows on a locked screen that
others may see, and travels through the browser maker's push service. The
title says what to do, the body which record, and a tap opens the screen.
"""

import datetime as dt

from flask import current_app
from flask_babel import force_locale, format_date, gettext, ngettext

from prog_tracker.core.i18n import COUNTRY_DEFAULTS, text_direction
from prog_tracker.notifications import kinds as k


def user_locale(user) -> str:
    """The user's language: their setting, else their facility's or organisation's country's."""
    available = current_app.config["TRANSLATED_LOCALES"]
    if user.locale in available:
        return user.locale
    for place in (getattr(user, "facility", None), getattr(user, "organisation", None)):
        country = getattr(place, "country", None)
        if COUNTRY_DEFAULTS.get(country) in available:
            return COUNTRY_DEFAULTS[country]
    return "en"


def render(notification, locale: str) -> dict:
    """{title, body, lang, dir} of a notification in a language."""
    with force_locale(locale):
        title, body = _WRITERS[notification.kind](notification.params or {})
    return {"title": title, "body": body, "lang": locale, "dir": text_direction(locale)}


def _day(value: str) -> str:
    """An ISO date written the way the language writes dates."""
    return format_date(dt.date.fromisoformat(value), format="medium")


def _follow_up_due(params: dict) -> tuple[str, str]:
    """The day before a follow-up is due."""
    return (
        gettext("Follow-up due tomorrow"),
        ngettext(
            "The follow-up %(num)s day after release is due on %(date)s. Tap to see who.",
            "The follow-up %(num)s days after release is due on %(date)s. Tap to see who.",
            params["offset_days"],
            date=_day(params["due_on"]),
        ),
    )


def _follow_up_overdue(params: dict) -> tuple[str, str]:
    """A follow-up past its due day, window still open."""
    return (
        gettext("Follow-up overdue"),
        ngettext(
            "The follow-up %(num)s day after release was due on %(date)s. Tap to see who.",
            "The follow-up %(num)s days after release was due on %(date)s. Tap to see who.",
            params["offset_days"],
            date=_day(params["due_on"]),
        ),
    )


def _release_soon(params: dict) -> tuple[str, str]:
    """A release 30 or 7 days ahead with plan items open."""
    return (
        gettext("Release on %(date)s", date=_day(params["release_on"])),
        ngettext(
            "%(num)s release plan item is still open.",
            "%(num)s release plan items are still open.",
            params["open_items"],
        ),
    )


def _referral_waiting(params: dict) -> tuple[str, str]:
    """A referral with no reply for three days."""
    return (
        gettext("Referral waiting for a reply"),
        gettext(
            "A referral sent to your organisation on %(date)s has no reply yet.",
            date=_day(params["referred_on"]),
        ),
    )


def _certificate_issued(params: dict) -> tuple[str, str]:
    """A certificate issued to someone at the officer's facility."""
    return (
        gettext("Certificate issued"),
        gettext(
            "A certificate was issued on %(date)s to a person at your facility.",
            date=_day(params["issued_on"]),
        ),
    )


_WRITERS = {
    k.FOLLOW_UP_DUE: _follow_up_due,
    k.FOLLOW_UP_OVERDUE: _follow_up_overdue,
    k.RELEASE_SOON: _release_soon,
    k.REFERRAL_WAITING: _referral_waiting,
    k.CERTIFICATE_ISSUED: _certificate_issued,
}
