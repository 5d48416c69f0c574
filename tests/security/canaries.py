"""What each crawling role may receive (SPEC §3, spelled out for the canary
world), and the canaries: unique strings planted in every field that could be
rendered, each with its kind and owner.

Who each crawler sees is written out here (SCOPE), not read from the policy
module: the test must not inherit the bugs it looks for.
"""

import secrets
import string
from dataclasses import dataclass, field

ROLES = ("admin", "supervisor", "officer", "instructor", "caseworker")
_ALPHABET = string.ascii_lowercase + string.digits

# Person key -> their prison (see canary_world.py for what each one is for).
PEOPLE = {
    "a_taught": "A",
    "a_alumnus": "A",
    "a_client": "A",
    "a_withdrawn": "A",
    "a_declined": "A",
    "a_closed": "A",
    "a_expired": "A",
    "a_pending": "A",
    "a_custody": "A",
    "a_other_cohort": "A",
    "a_returned": "A",
    "a_other_org": "A",
    "b_taught": "B",
    "b_pending": "B",
    "b_client": "B",
    "c_taught": "C",
    "c_client": "C",
}
_KZ = {key for key, home in PEOPLE.items() if home in "AB"}

# Who each crawler sees (SPEC §3), for this world.
SCOPE = {
    "admin": set(PEOPLE),
    "supervisor": _KZ,  # their country
    "officer": {key for key, home in PEOPLE.items() if home == "A"},  # their facility
    "instructor": {"a_taught", "a_alumnus"},  # enrolled, waitlisted or completed in A1
    "caseworker": {"a_alumnus", "a_client"},  # accepted referral and active consent
}
# The cohorts each crawler may see (their titles and session topics are canaries).
COHORTS = {
    "admin": {"A1", "A2", "B1", "C1"},
    "supervisor": {"A1", "A2", "B1"},
    "officer": {"A1", "A2"},
    "instructor": {"A1"},
    # The caseworker's client a_alumnus completed A1: its name may show on their card.
    "caseworker": {"A1"},
}
IDENTITY = ("given_name", "family_name", "other_names", "prison_number")
# What SPEC §3 allows a role to receive about someone outside its scope, and where:
# role -> person -> (kinds of canary, path prefixes of the answers that may carry them).
ALLOWED_OUTSIDE = {
    # Instructors search the people in custody at their prison to enrol them:
    # name, prison number and status (the candidate search of a cohort).
    "instructor": dict.fromkeys(
        ("a_custody", "a_other_cohort", "a_pending"), (IDENTITY, ("/cohorts/", "/api/v1/cohorts/"))
    ),
    # The referral inbox names a person referred to the organisation once their
    # consent to it is active, so the caseworker can answer (partners/casework.py);
    # the reason and everything else stay hidden until the caseworker holds the case.
    "caseworker": {
        "a_pending": (("given_name", "family_name"), ("/referrals/", "/api/v1/referrals"))
    },
}
# People a crawler's own valid form may bring into its scope (accepting the pending
# referral; enrolling someone in custody): their identity is allowed from then on.
PROMOTABLE = {
    "caseworker": {"a_pending"},
    "instructor": {"a_custody", "a_other_cohort", "a_pending", "a_returned"},
}
# Post-release and partner records instructors never receive, even about people they
# teach (SPEC §3: contacts, outcomes, the release-date history and its reasons; the
# policy module keeps referrals, plans and the status history from them too).
INSTRUCTOR_NEVER = (
    "release_date_reason",
    "contact_summary",
    "contact_location",
    "contact_need",
    "contact_old_summary",
    "outcome_note",
    "referral_reason",
    "plan_note",
    "status_note",
)
# Records that belong to one organisation: a caseworker reads only their own's.
ORGANISATION_RECORDS = (
    "contact_summary",
    "contact_location",
    "contact_need",
    "contact_old_summary",
    "outcome_note",
    "referral_reason",
)


@dataclass(frozen=True)
class Canary:
    """One unique string, what it is, and whose it is."""

    text: str
    kind: str  # given_name, prison_number, referral_reason, cohort_title, facility_name…
    owner: str  # a person key, a cohort key (A1…) or a facility key (A, B, C)
    scope: str = "person"  # person | cohort | facility
    organisation: str | None = None  # for contacts, outcomes and referrals: whose


@dataclass
class World:
    """The records, their ids by type, and the canaries."""

    users: dict  # role -> User (the crawlers)
    staff: dict  # name -> User (everyone else)
    people: dict  # person key -> participant id
    ids: dict = field(default_factory=dict)  # record type -> [(id, label)]
    codes: dict = field(default_factory=dict)  # certificate code -> person key
    canaries: list = field(default_factory=list)
    tokens: dict = field(default_factory=dict)  # user name -> API token id
    devices: dict = field(default_factory=dict)  # user name -> field device id
    # {argument: id} tuples that belong together (a cohort and a person enrolled in it)
    related: list = field(default_factory=list)

    def add_id(self, kind: str, record_id: str, label: str, owner: str | None = None) -> None:
        """Remember a record's id for the route arguments that name its type (owner: the
        person key the record is about, if any)."""
        self.ids.setdefault(kind, []).append((str(record_id), label, owner))

    def canary(self, kind: str, owner: str, scope="person", organisation=None, prefix="Canary"):
        """A new unique string, remembered as a canary."""
        text = prefix + kind.replace("_", "")[:6].title() + _random(10)
        self.canaries.append(Canary(text, kind, owner, scope, organisation))
        return text

    def forbidden(self, role: str, in_scope: set) -> dict:
        """Canary text (lower case) -> (why the role must never receive it, its kind,
        its owner, path prefixes where it may all the same), given the people
        currently in its scope."""
        out = {}
        for canary in self.canaries:
            why = _why_forbidden(role, canary, in_scope)
            if why:
                out[canary.text.lower()] = (why, canary.kind, canary.owner, ())
                kinds, where = ALLOWED_OUTSIDE.get(role, {}).get(canary.owner, ((), ()))
                if why == "out-of-scope person" and canary.kind in kinds:
                    out[canary.text.lower()] = (why, canary.kind, canary.owner, where)
        return out

    def pseudonymised_forbidden(self) -> dict:
        """What no pseudonymised export may carry: any person's names, prison number
        or free text (SPEC §7)."""
        return {
            c.text.lower(): ("pseudonymised export", c.kind, c.owner, ())
            for c in self.canaries
            if c.scope == "person"
        }


def _why_forbidden(role: str, canary: Canary, in_scope: set) -> str | None:
    """Why the role must not receive this canary (None: it may)."""
    if canary.scope == "facility":
        # Caseworkers never receive facility internals (SPEC §3).
        return "caseworker-never (facility)" if role == "caseworker" else None
    if canary.scope == "cohort":
        return None if canary.owner in COHORTS[role] else "cohort out of scope"
    if canary.owner not in in_scope:
        return "out-of-scope person"
    if role == "caseworker":
        if canary.kind == "prison_number":
            return "caseworker-never (prison number)"
        if canary.kind in ORGANISATION_RECORDS and canary.organisation != "NGO A":
            return "caseworker-never (another organisation's record)"
    if role == "instructor" and canary.kind in INSTRUCTOR_NEVER:
        return "instructor-never"
    return None


def _random(n: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(n))
