"""JSON routes for facilities and organisations."""

from flask import g
from flask_smorest import Blueprint

from prog_tracker.core import policy
from prog_tracker.core.errors import register_representer
from prog_tracker.core.pagination import page_of
from prog_tracker.core.schemas import ListQuerySchema, page_schema
from prog_tracker.directory import services
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.directory.schemas import (
    FacilityCreateSchema,
    FacilityPatchSchema,
    FacilitySchema,
    OrganisationCreateSchema,
    OrganisationPatchSchema,
    OrganisationSchema,
)

register_representer(Facility, FacilitySchema().dump)
register_representer(Organisation, OrganisationSchema().dump)

blp = Blueprint(
    "directory_api",
    __name__,
    url_prefix="/api/v1",
    description="Facilities and partner organisations",
)


@blp.route("/facilities", methods=["GET"])
@blp.arguments(ListQuerySchema, location="query")
@blp.response(200, page_schema(FacilitySchema, "FacilityPage"))
def list_facilities(_args):
    """Facilities the caller may see."""
    return page_of(policy.visible_facilities(g.user))


@blp.route("/facilities", methods=["POST"])
@blp.arguments(FacilityCreateSchema)
@blp.response(201, FacilitySchema)
def create_facility(data):
    """Add a facility (admin)."""
    return services.create_entry(g.user, Facility, data)


@blp.route("/facilities/<facility_id>", methods=["GET"])
@blp.response(200, FacilitySchema)
def get_facility(facility_id):
    """One facility."""
    return policy.get_facility(g.user, facility_id)


@blp.route("/facilities/<facility_id>", methods=["PATCH"])
@blp.arguments(FacilityPatchSchema)
@blp.response(200, FacilitySchema)
def update_facility(data, facility_id):
    """Change a facility (admin)."""
    return services.update_entry(g.user, policy.get_facility(g.user, facility_id), data)


@blp.route("/organisations", methods=["GET"])
@blp.arguments(ListQuerySchema, location="query")
@blp.response(200, page_schema(OrganisationSchema, "OrganisationPage"))
def list_organisations(_args):
    """Partner organisations (everyone signed in may see the directory)."""
    return page_of(policy.visible_organisations(g.user))


@blp.route("/organisations", methods=["POST"])
@blp.arguments(OrganisationCreateSchema)
@blp.response(201, OrganisationSchema)
def create_organisation(data):
    """Add a partner organisation (admin)."""
    return services.create_entry(g.user, Organisation, data)


@blp.route("/organisations/<organisation_id>", methods=["GET"])
@blp.response(200, OrganisationSchema)
def get_organisation(organisation_id):
    """One organisation."""
    return policy.get_record(g.user, Organisation, organisation_id)


@blp.route("/organisations/<organisation_id>", methods=["PATCH"])
@blp.arguments(OrganisationPatchSchema)
@blp.response(200, OrganisationSchema)
def update_organisation(data, organisation_id):
    """Change an organisation (admin)."""
    return services.update_entry(
        g.user, policy.get_record(g.user, Organisation, organisation_id), data
    )
