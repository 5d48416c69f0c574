"""Each SPEC §7 indicator on the hand-built programme of tests/reports/world.py.

The expected figures were worked out by hand from the records (the comments in
world.py say which record tests what); they are written here, not recomputed.
"""

import pytest

from tests.reports.world import PERIOD, build

# (numerator, denominator) for rates, the count for counts: all countries, whole period.
EXPECTED = {
    "participants_in_custody": 9,  # 13 people, 4 out on 30 June (p13 came back in February)
    "enrolled_now": 2,  # p4 (no end yet) and p7 (ends 5 July)
    "enrolments_started": 5,
    "completion_rate": (2, 4),  # release and transfer withdrawals left out
    "attendance_rate": (3, 6),  # excused and sick count in the denominator
    "skills_assessed": 2,
    "certificates_issued": 1,  # the revoked one and the earlier one left out
    "releases_next_90_days": 1,  # 28 September is `to` + 90
    "release_plans_complete_rate": (1, 3),
    "referred_before_release_rate": (2, 3),
    "contact_within_7_days_rate": (2, 3),
    "follow_up_compliance_rate": (3, 5),
    "employed_at_3_months_rate": (2, 3),
    "employed_at_6_months_rate": (1, 1),
    "employed_at_12_months_rate": (0, 1),
    "uses_trained_skill_rate": (1, 3),
    "returned_to_custody_12_months_rate": (1, 2),  # p11 back within 12 months, p13 after
}


@pytest.fixture
def world(make):
    """The hand-built programme."""
    return build(make)


def _figures(api, query=""):
    """GET the indicators for the test period with extra query parameters."""
    response = api.get(f"/reports/indicators?{PERIOD}{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _as_expected(figure):
    """A figure in EXPECTED's shape."""
    if "numerator" in figure:
        return (figure["numerator"], figure["denominator"])
    return figure["value"]


def test_every_indicator_matches_its_hand_worked_answer(world, api_as):
    figures = _figures(api_as(world.admin))
    assert set(figures) == set(EXPECTED)
    assert {key: _as_expected(figures[key]) for key in EXPECTED} == EXPECTED


def test_rates_carry_a_value_between_zero_and_one(world, api_as):
    figures = _figures(api_as(world.admin))
    assert figures["completion_rate"] == {"value": 0.5, "numerator": 2, "denominator": 4}
    assert figures["employed_at_3_months_rate"]["value"] == pytest.approx(0.6667)
    assert figures["employed_at_12_months_rate"]["value"] == 0
    assert figures["certificates_issued"] == {"value": 1}


def test_a_rate_with_nothing_to_count_is_null(world, api_as):
    figures = _figures(api_as(world.admin), "&facility_id=" + world.b.id)
    assert figures["completion_rate"] == {"value": None, "numerator": 0, "denominator": 0}
    # Facility B holds only p12, released in November 2025 and in work at both marks.
    assert figures["employed_at_3_months_rate"]["numerator"] == 1
    assert figures["employed_at_6_months_rate"]["numerator"] == 1
    assert figures["participants_in_custody"]["value"] == 0


def test_breakdown_by_sex(world, api_as):
    figures = _figures(api_as(world.admin), "&breakdown=sex")
    by_sex = figures["completion_rate"]["by_sex"]
    assert by_sex["female"] == {"value": 1.0, "numerator": 1, "denominator": 1}
    assert by_sex["male"] == {"value": pytest.approx(0.3333), "numerator": 1, "denominator": 3}
    assert by_sex["other"]["denominator"] == 0
    assert figures["participants_in_custody"]["by_sex"] == {
        "female": {"value": 1},
        "male": {"value": 8},
        "other": {"value": 0},
        "undisclosed": {"value": 0},
    }


def test_without_breakdown_there_is_no_by_sex(world, api_as):
    assert "by_sex" not in _figures(api_as(world.admin))["completion_rate"]


def test_trade_filter(world, api_as):
    figures = _figures(api_as(world.admin), "&trade_id=" + world.welding.id)
    assert _as_expected(figures["completion_rate"]) == (2, 3)  # p1, p2, p9; p3's is neutral
    assert _as_expected(figures["attendance_rate"]) == (2, 4)
    assert figures["enrolled_now"]["value"] == 1
    # People-level figures count people who trained in the trade: p3 did, p10 and p11 did not.
    assert _as_expected(figures["contact_within_7_days_rate"]) == (1, 1)


def test_organisation_filter(world, api_as, make):
    other = make.organisation("KZ")
    make.referral(world.people[12], other, "accepted")
    admin = api_as(world.admin)
    figures = _figures(admin, "&organisation_id=" + world.partner.id)
    assert _as_expected(figures["contact_within_7_days_rate"]) == (2, 3)
    # p12 was referred elsewhere: out of the partner's employment figures.
    assert _as_expected(figures["employed_at_6_months_rate"]) == (0, 0)
    figures = _figures(admin, "&organisation_id=" + other.id)
    # The other organisation recorded none of p12's outcomes.
    assert _as_expected(figures["employed_at_3_months_rate"]) == (0, 0)


def test_supervisor_sees_only_their_country(world, api_as, make):
    kz = api_as(make.user("supervisor", country="KZ"))
    figures = _figures(kz)
    assert _as_expected(figures["completion_rate"]) == (1, 3)  # p9's completion is in Tunisia
    assert figures["participants_in_custody"]["value"] == 8
    assert figures["enrolments_started"]["value"] == 4
    tn = _figures(api_as(make.user("supervisor", country="TN")))
    assert _as_expected(tn["completion_rate"]) == (1, 1)
    assert tn["participants_in_custody"]["value"] == 1
    assert tn["contact_within_7_days_rate"]["denominator"] == 0


def test_supervisor_cannot_ask_for_another_country(world, api_as, make):
    kz = api_as(make.user("supervisor", country="KZ"))
    response = kz.get(f"/reports/indicators?{PERIOD}&country=TN")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    response = kz.get(f"/reports/indicators?{PERIOD}&facility_id={world.c.id}")
    assert response.status_code == 422
    assert "facility_id" in response.get_json()["error"]["fields"]


def test_country_filter_for_an_admin(world, api_as):
    figures = _figures(api_as(world.admin), "&country=tn")
    assert _as_expected(figures["completion_rate"]) == (1, 1)


@pytest.mark.parametrize("role", ["officer", "instructor", "caseworker"])
def test_other_roles_may_not_read_reports(world, api_as, role):
    response = api_as(role).get(f"/reports/indicators?{PERIOD}")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-07-01&to=2026-06-30", "from"),
        ("from=2026-02-30", "from"),
        ("to=yesterday", "to"),
        ("facility_id=not-a-uuid", "facility_id"),
        ("trade_id=00000000-0000-4000-8000-000000000000", "trade_id"),
        ("organisation_id=00000000-0000-4000-8000-000000000000", "organisation_id"),
        ("breakdown=age", "breakdown"),
        ("from=1990-01-01&to=2026-01-01", "to"),
    ],
)
def test_bad_filters_answer_422(world, api_as, query, field):
    response = api_as(world.admin).get(f"/reports/indicators?{query}")
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_an_unauthenticated_caller_gets_401(client):
    assert client.get("/api/v1/reports/indicators").status_code == 401
