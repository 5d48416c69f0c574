"""The records schemathesis runs against: some in each role's scope, some outside it.

Two countries (KZ, TN), three prisons (A and B in KZ, C in TN), one NGO per
country. The world's users are an admin, a KZ supervisor, an officer and an
instructor of prison A and a caseworker of the KZ NGO. Each role sees some
people and not others (SPEC §3):

- the officer of A: the people of A, not those of B or C;
- the instructor: the person enrolled in their cohort (and, on the candidates
  route only, the other people in custody at A), not the rest;
- the caseworker: their client (accepted referral, active consent), and on the
  referral routes the person whose referral waits for an answer; not the client
  whose consent was withdrawn, nor anyone else;
- the supervisor: everyone in KZ, nobody in TN; the admin: everyone.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import select

from prog_tracker.auth.sessions import new_api_token
from prog_tracker.certification.certificates import new_code
from prog_tracker.certification.models import Certificate
from prog_tracker.core import policy
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from tests.factories import Factory

ROLES = ("anon", "admin", "supervisor", "officer", "instructor", "caseworker")


class Person(NamedTuple):
    """A participant of the world, as plain values (the records expire after commit)."""

    id: str
    family_name: str


@dataclass
class World:
    """Ids the generated requests use, and what each role must never receive."""

    tokens: dict = field(default_factory=dict)  # role -> raw bearer token
    ids: dict = field(default_factory=dict)  # path/body parameter name -> known ids
    codes: list = field(default_factory=list)  # certificate verification codes
    # role -> ids of out-of-scope people and of every record about them
    hidden: dict = field(default_factory=dict)
    # role -> {id: path prefixes where that role may still meet it} (see the module doc)
    allowed_on: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)  # name -> Person


def _certificate(make, person, qualification, facility, issuer) -> Certificate:
    """A certificate of person (issued today by issuer)."""
    return make._save(
        Certificate(
            participant_id=person.id,
            qualification_id=qualification.id,
            code=new_code(),
            issued_on=dt.date.today(),
            issued_by_id=issuer.id,
            holder_name=f"{person.given_name} {person.family_name}",
            issuer_facility_id=facility.id,
            assessment_ids=[],
        )
    )


def _workshop(make, w: World, facility, instructor, person, issuer) -> dict:
    """A cohort at facility with person enrolled, a session, an assessment and a certificate."""
    trade = make.trade()
    skill = make.skill(trade)
    qualification = make.qualification(trade, skills=[skill])
    cohort = make.cohort(facility, instructors=[instructor], trade=trade)
    enrolment = make.enrolment(cohort, person)
    session = make.session(cohort)
    make.assessment(cohort, person, skill, instructor)
    certificate = _certificate(make, person, qualification, facility, issuer)
    w.codes.append(certificate.code)
    return {
        "trade_id": trade.id,
        "skill_id": skill.id,
        "qualification_id": qualification.id,
        "cohort_id": cohort.id,
        "enrolment_id": enrolment.id,
        "session_id": session.id,
        "certificate_id": certificate.id,
    }


def _client(make, person, organisation, caseworker, officer, *, consent=True, withdrawn=False):
    """Release person and refer them (accepted) to organisation, with a consent."""
    make.release(person, released_on=today_at(person.facility) - dt.timedelta(days=10))
    referral = make.referral(
        person, organisation, status="accepted", assigned_caseworker_id=caseworker.id
    )
    records = {"referral_id": referral.id}
    if consent:
        extra = {"withdrawn_on": today_at(person.facility)} if withdrawn else {}
        records["consent_id"] = make.consent(
            person, organisation, recorded_by=officer.id, **extra
        ).id
    records["contact_id"] = make.contact(person, caseworker).id
    records["outcome_id"] = make.outcome(person, caseworker).id
    plan_item = make.plan_item(person, kind="housing", owner_organisation_id=organisation.id)
    records["release_plan_item_id"] = plan_item.id
    return records


def build_world() -> World:
    """Create and commit the world; returns its ids, tokens and hidden sets."""
    make, w = Factory(), World()
    fac_a, fac_b = make.facility(country="KZ"), make.facility(country="KZ")
    fac_c = make.facility(country="TN", timezone="Africa/Tunis")
    ngo_kz, ngo_tn = make.organisation(country="KZ"), make.organisation(country="TN")
    users = {
        "admin": make.user("admin"),
        "supervisor": make.user("supervisor", country="KZ"),
        "officer": make.user("officer", facility=fac_a),
        "instructor": make.user("instructor", facility=fac_a),
        "caseworker": make.user("caseworker", organisation=ngo_kz),
    }
    other = {
        "officer_b": make.user("officer", facility=fac_b),
        "instructor_b": make.user("instructor", facility=fac_b),
        "instructor_c": make.user("instructor", facility=fac_c),
        "caseworker_tn": make.user("caseworker", organisation=ngo_tn),
    }
    homes = {
        "enrolled_a": fac_a,
        "custody_a": fac_a,
        "client": fac_a,
        "former_client": fac_a,
        "pending_a": fac_a,
        "enrolled_b": fac_b,
        "enrolled_c": fac_c,
        "client_tn": fac_c,
    }
    # Family names no other text contains, so the check can look for them too.
    people = {
        name: make.participant(facility=home, family_name=f"Qx{name.title().replace('_', '')}Qx")
        for name, home in homes.items()
    }
    pools: dict[str, list] = {}

    def add(records: dict) -> None:
        for name, value in records.items():
            pools.setdefault(name, []).append(value)

    issuer = users["supervisor"]
    add(_workshop(make, w, fac_a, users["instructor"], people["enrolled_a"], issuer))
    add(_workshop(make, w, fac_b, other["instructor_b"], people["enrolled_b"], issuer))
    add(_workshop(make, w, fac_c, other["instructor_c"], people["enrolled_c"], users["admin"]))
    officer, caseworker = users["officer"], users["caseworker"]
    add(_client(make, people["client"], ngo_kz, caseworker, officer))
    former = _client(make, people["former_client"], ngo_kz, caseworker, officer, withdrawn=True)
    add(former)
    add(_client(make, people["client_tn"], ngo_tn, other["caseworker_tn"], officer))
    make.release(people["pending_a"])
    pending_referral = make.referral(people["pending_a"], ngo_kz)
    add({"referral_id": pending_referral.id})
    add(
        {
            "participant_id": [p.id for p in people.values()],
            "custody_participant_id": [p.id for p in people.values() if p.status == "in_custody"],
            "facility_id": [fac_a.id, fac_b.id, fac_c.id],
            "organisation_id": [ngo_kz.id, ngo_tn.id],
            "user_id": [u.id for u in (*users.values(), *other.values())],
        }
    )
    w.ids = {name: _flat(values) for name, values in pools.items()}
    for role, user in users.items():
        # Full tokens for every role, so the generated writes reach the rules they test
        # (the API lets only admins and supervisors create full ones).
        token, raw = new_api_token(user, f"schemathesis {role}", "full", 90)
        w.tokens[role] = raw
        w.ids.setdefault("token_id", []).append(token.id)
        w.hidden[role] = hidden_ids(user)
    db.session.commit()
    w.hidden["anon"] = hidden_ids(None)
    w.people = {name: Person(p.id, p.family_name) for name, p in people.items()}
    _allow(w, people, pending_referral.id, [former["referral_id"], former["consent_id"]])
    # The public verification of a certificate shows its holder's name (SPEC §4).
    holders = [people[name].family_name for name in ("enrolled_a", "enrolled_b", "enrolled_c")]
    for role in ROLES:
        w.allowed_on.setdefault(role, {}).update(dict.fromkeys(holders, ("/api/v1/verify/",)))
    return w


def _flat(values: list) -> list:
    """One flat list of ids, in the order added."""
    out = []
    for value in values:
        out.extend(value if isinstance(value, list) else [value])
    return out


def _allow(w: World, people: dict, pending_referral_id: str, former_client_records) -> None:
    """Ids a role may meet on some routes although the person is outside its scope."""
    # Caseworkers keep their organisation's referrals and consents, with the person's
    # name left out (partners/schemas.py), to answer pending ones and keep the paperwork.
    kept = [people["pending_a"].id, people["former_client"].id, pending_referral_id]
    kept += former_client_records
    w.allowed_on["caseworker"] = dict.fromkeys(kept, ("/api/v1/referrals", "/api/v1/consents"))
    # Instructors look for people in custody at their prison to enrol them, seeing
    # name, prison number and status (SPEC §3).
    custody = people["custody_a"]
    w.allowed_on["instructor"] = dict.fromkeys(
        (custody.id, custody.family_name), ("/api/v1/cohorts/",)
    )


def hidden_ids(user) -> set:
    """Ids and family names of the people outside user's scope, and the ids of every
    record about them."""
    visible = set()
    if user is not None:  # nobody signed in sees nobody
        scope = policy.visible_participants(user).with_only_columns(Participant.id)
        visible = set(db.session.scalars(scope))
    outside = set(db.session.scalars(select(Participant.id))) - visible
    names = select(Participant.family_name).where(Participant.id.in_(outside))
    hidden = set(outside) | set(db.session.scalars(names))
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        columns = mapper.columns
        if model is Participant or "participant_id" not in columns or "id" not in columns:
            continue
        query = select(model.id).where(model.participant_id.in_(outside))
        # Only UUIDs: a serial number (a history row) would match any digits.
        hidden.update(i for i in db.session.scalars(query) if isinstance(i, str) and len(i) == 36)
    return hidden
