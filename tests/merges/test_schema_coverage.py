"""The merge moves every record that refers to a person: a new foreign key to
participants.id fails here until merges/records.py says how it moves."""

from prog_tracker.merges.records import HANDLED, person_columns, unique_with_person


def test_every_foreign_key_to_a_person_is_handled(app):
    assert set(person_columns()) == set(HANDLED)


def test_every_unique_key_with_the_person_has_a_rule(app):
    needing = {key for key in person_columns() if unique_with_person(*key)}
    assert needing == {key for key, rule in HANDLED.items() if rule is not None}
