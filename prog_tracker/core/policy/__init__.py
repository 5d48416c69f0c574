"""Who may see and do what (SPEC §3): the one place access is decided.

Routes never filter by hand: they ask `visible_participants(user)` for the
scoped query, `get_participant(user, id)` for one record, and `require(user,
action, target)` before acting. Out-of-scope records look exactly like missing
ones (404) and leave a `denied` audit event.

Callers use every name as `policy.<name>`; this package's __init__ only gathers
them from the modules beside it, which import one another, never the package:
actions.py (the action table, may/require/deny), participants.py (who sees which
person: where every person-linked scope starts), cohorts.py, directory.py,
aftercare.py (release and after-release records), records.py (assessments,
enrolments), creates.py (client-chosen ids: replays and clashes), staff.py
(users, tokens, audit events), devices.py (field devices), imports.py (importing
registers), merges.py (merging two records of one person), tokens.py, reasons.py, days.py.
"""

from prog_tracker.core.policy.actions import *  # noqa: F403
from prog_tracker.core.policy.aftercare import *  # noqa: F403
from prog_tracker.core.policy.cohorts import *  # noqa: F403
from prog_tracker.core.policy.creates import *  # noqa: F403
from prog_tracker.core.policy.days import facility_day_groups, facility_days  # noqa: F401
from prog_tracker.core.policy.devices import *  # noqa: F403
from prog_tracker.core.policy.directory import *  # noqa: F403
from prog_tracker.core.policy.imports import *  # noqa: F403
from prog_tracker.core.policy.merges import *  # noqa: F403
from prog_tracker.core.policy.participants import (  # noqa: F401
    caseworker_scope,
    consents_today,
    get_participant,
    merged_survivor,
    visible_participant,
    visible_participants,
)
from prog_tracker.core.policy.reasons import ReasonRequired, require_reason  # noqa: F401
from prog_tracker.core.policy.records import *  # noqa: F403
from prog_tracker.core.policy.staff import *  # noqa: F403
from prog_tracker.core.policy.tokens import *  # noqa: F403
