"""Merge then undo restores every table exactly (SPEC §12): a property over random
small worlds around two people."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prog_tracker.extensions import db
from prog_tracker.merges import services
from tests.merges import world
from tests.merges.conftest import differences, every_table

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(data=st.data())
def test_merge_then_undo_restores_every_table(make, data):
    facility = make.facility()
    admin = make.user("admin")
    caseworker = make.user("caseworker")
    source = make.participant(
        facility=facility, other_names=data.draw(st.sampled_from((None, "X")))
    )
    into = make.participant(facility=facility)
    world.build(data, make, facility, [source, into], admin, caseworker)
    before = every_table()
    merge = services.merge_participants(admin, source, into)
    merged = every_table()
    assert differences(before, merged)  # the merge changed something
    services.undo_merge(admin, merge.id)
    db.session.expire_all()
    assert differences(before, every_table()) == {}
