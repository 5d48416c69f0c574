"""JSON routes for contacts (with their earlier versions), outcomes and the caseload."""

from flask import g
from flask_smorest import Blueprint

from prog_tracker.aftercare import caseload, contacts, outcomes
from prog_tracker.aftercare.models import Contact, Outcome
from prog_tracker.aftercare.schemas import (
    CaseloadPageSchema,
    CaseloadQuerySchema,
    ContactCreateSchema,
    ContactDetailSchema,
    ContactPatchSchema,
    ContactSchema,
    OutcomeCreateSchema,
    OutcomePatchSchema,
    OutcomeSchema,
)
from prog_tracker.core import policy
from prog_tracker.core.errors import register_representer
from prog_tracker.core.pagination import page_of, page_params
from prog_tracker.core.schemas import ListQuerySchema, page_schema
from prog_tracker.participants.models import Participant
from prog_tracker.participants.services import audit_person_list

blp = Blueprint("aftercare_api", __name__, url_prefix="/api/v1", description="After release")
register_representer(Contact, ContactSchema().dump)
register_representer(Outcome, OutcomeSchema().dump)


def _page_of(participant: Participant, query, entity: str) -> dict:
    """One page of a person's records, audited as a read of the person and of the rows."""
    page = page_of(query)
    ids = [row.id for row in page["items"]]
    audit_person_list(g.user, participant, f"{entity}.list", entity, ids)
    return page


def _with_versions(contact: Contact) -> dict:
    """A contact and its earlier versions, oldest first."""
    columns = [column.key for column in Contact.__table__.columns]
    return {
        **{key: getattr(contact, key) for key in columns},
        "versions": contacts.contact_versions(contact),
    }


@blp.route("/contacts", methods=["POST"])
@blp.arguments(ContactCreateSchema)
@blp.response(201, ContactDetailSchema)
def record_contact(data):
    """Record a contact (caseworker: for their organisation; admin: names one)."""
    return _with_versions(contacts.record_contact(g.user, data))


@blp.route("/contacts/<contact_id>", methods=["GET"])
@blp.response(200, ContactDetailSchema)
def get_contact(contact_id):
    """One contact with every earlier version (audited)."""
    contact = policy.get_scoped(g.user, "contact", contact_id, "contact.read")
    return _with_versions(contacts.read_contact(g.user, contact))


@blp.route("/contacts/<contact_id>", methods=["PATCH"])
@blp.arguments(ContactPatchSchema)
@blp.response(200, ContactDetailSchema)
def edit_contact(data, contact_id):
    """Correct a contact; the text it replaces stays readable as an earlier version."""
    contact = policy.get_scoped(g.user, "contact", contact_id, "contact.update")
    return _with_versions(contacts.edit_contact(g.user, contact, data))


@blp.route("/participants/<participant_id>/contacts", methods=["GET"])
@blp.arguments(ListQuerySchema, location="query")
@blp.response(200, page_schema(ContactSchema, "ContactPage"))
def participant_contacts(_args, participant_id):
    """A person's contacts, newest first (not for instructors)."""
    participant = policy.get_aftercare_participant(g.user, participant_id, "contact.read")
    return _page_of(participant, contacts.contacts_query(g.user, participant), "contact")


@blp.route("/outcomes", methods=["POST"])
@blp.arguments(OutcomeCreateSchema)
@blp.response(201, OutcomeSchema)
def record_outcome(data):
    """Record how a person is doing on a day (caseworker of a person they see, admin)."""
    return outcomes.record_outcome(g.user, data)


@blp.route("/outcomes/<outcome_id>", methods=["GET"])
@blp.response(200, OutcomeSchema)
def get_outcome(outcome_id):
    """One outcome (audited)."""
    outcome = policy.get_scoped(g.user, "outcome", outcome_id, "outcome.read")
    return outcomes.read_outcome(g.user, outcome)


@blp.route("/outcomes/<outcome_id>", methods=["PATCH"])
@blp.arguments(OutcomePatchSchema)
@blp.response(200, OutcomeSchema)
def update_outcome(data, outcome_id):
    """Correct an outcome (its organisation's caseworkers, admin)."""
    outcome = policy.get_scoped(g.user, "outcome", outcome_id, "outcome.update")
    return outcomes.update_outcome(g.user, outcome, data)


@blp.route("/participants/<participant_id>/outcomes", methods=["GET"])
@blp.arguments(ListQuerySchema, location="query")
@blp.response(200, page_schema(OutcomeSchema, "OutcomePage"))
def participant_outcomes(_args, participant_id):
    """A person's outcomes, latest observation first (not for instructors)."""
    participant = policy.get_aftercare_participant(g.user, participant_id, "outcome.read")
    return _page_of(participant, outcomes.outcomes_query(g.user, participant), "outcome")


@blp.route("/caseload", methods=["GET"])
@blp.arguments(CaseloadQuerySchema, location="query")
@blp.response(200, CaseloadPageSchema)
def get_caseload(_args):
    """The caller's people after release: mine, overdue, next follow-up, last contact first."""
    limit, offset = page_params()
    return caseload.caseload_response(g.user, limit, offset)
