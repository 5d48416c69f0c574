"""First checks that the app and database work end to end."""


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True}


def test_officer_reads_participant(api_as, make):
    facility = make.facility()
    person = make.participant(facility=facility)
    api = api_as("officer", facility=facility)
    response = api.get(f"/participants/{person.id}")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["prison_number"] == person.prison_number
