"""Which partner organisations may take on a person: those of the person's country.

A person is referred, asks for consent and is handed plan items only within the
country of the facility holding them; a partner abroad neither receives the
case nor appears in the pickers. The rule holds for every entry point (pages,
JSON API, the field app's pushes), so the services check it, and the pages
offer only what it allows.
"""

from flask_babel import lazy_gettext as _l

from prog_tracker.core import policy
from prog_tracker.core.errors import rule_error, validation_error
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db


def organisations_for(actor, facility: Facility | None) -> list[Organisation]:
    """The organisations the actor sees that work in the facility's country."""
    query = policy.visible_organisations(actor)
    if facility is not None:
        query = query.where(Organisation.country == facility.country)
    return list(db.session.scalars(query))


def organisation_for(
    organisation_id: str | None, facility: Facility | None, field: str = "organisation_id"
) -> Organisation:
    """The organisation with this id, in the facility's country; a 422 naming field otherwise."""
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        raise validation_error({field: [_l("No such organisation.")]})
    if facility is not None and organisation.country != facility.country:
        raise rule_error(
            "organisation_other_country",
            _l("Choose an organisation of the person's country."),
            fields={field: [_l("This organisation works in another country.")]},
        )
    return organisation
