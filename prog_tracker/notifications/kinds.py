"""The kinds of reminder, and which roles receive each (users may switch any off)."""

FOLLOW_UP_DUE = "follow_up_due"
FOLLOW_UP_OVERDUE = "follow_up_overdue"
RELEASE_SOON = "release_soon"
REFERRAL_WAITING = "referral_waiting"
CERTIFICATE_ISSUED = "certificate_issued"

# kind -> roles that may receive it (SPEC: follow-ups go to the referral's assigned
# caseworker; releases to the facility's officers and the assigned caseworker; a
# waiting referral to the organisation's caseworkers; a certificate to officers).
KINDS = {
    FOLLOW_UP_DUE: ("caseworker",),
    FOLLOW_UP_OVERDUE: ("caseworker",),
    RELEASE_SOON: ("officer", "caseworker"),
    REFERRAL_WAITING: ("caseworker",),
    CERTIFICATE_ISSUED: ("officer",),
}


def kinds_for(role: str) -> tuple:
    """The kinds a user of this role can receive, in a stable order."""
    return tuple(kind for kind, roles in KINDS.items() if role in roles)
