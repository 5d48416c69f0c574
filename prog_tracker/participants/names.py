"""How pages name a participant, anonymised records included (docs/retention.md)."""

from flask_babel import lazy_gettext as _l

ANONYMISED = _l("Anonymised record")


def _anonymised(participant) -> bool:
    """True for a record whose identity the retention schedule blanked."""
    return getattr(participant, "anonymised_at", None) is not None


def person_name(participant) -> str:
    """Given and family names, or a neutral label for an anonymised record."""
    if _anonymised(participant):
        return str(ANONYMISED)
    return f"{participant.given_name} {participant.family_name}"


def sorted_name(participant) -> str:
    """The "Family, Given" that lists show, or a neutral label for an anonymised record."""
    if _anonymised(participant):
        return str(ANONYMISED)
    return f"{participant.family_name}, {participant.given_name}"


def shown_number(participant) -> str:
    """The prison number, or a dash for an anonymised record (its number is only its id)."""
    return "—" if _anonymised(participant) else participant.prison_number
