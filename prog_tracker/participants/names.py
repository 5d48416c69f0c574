"""How pages name a participant, anonymised records included (docs/retention.md).

Names come out printable: without the bidi controls that would make them, or
the text after them, read differently (core/bidi.py); the stored names stay as typed.
"""

from flask_babel import lazy_gettext as _l

from prog_tracker.core.bidi import printable_name

ANONYMISED = _l("Anonymised record")


def _anonymised(participant) -> bool:
    """True for a record whose identity the retention schedule blanked."""
    return getattr(participant, "anonymised_at", None) is not None


def person_name(participant) -> str:
    """Given and family names, or a neutral label for an anonymised record."""
    if _anonymised(participant):
        return str(ANONYMISED)
    return f"{printable_name(participant.given_name)} {printable_name(participant.family_name)}"


def sorted_name(participant) -> str:
    """The "Family, Given" that lists show, or a neutral label for an anonymised record."""
    if _anonymised(participant):
        return str(ANONYMISED)
    return f"{printable_name(participant.family_name)}, {printable_name(participant.given_name)}"


def shown_number(participant) -> str:
    """The prison number, or a dash for an anonymised record (its number is only its id)."""
    return "—" if _anonymised(participant) else participant.prison_number
