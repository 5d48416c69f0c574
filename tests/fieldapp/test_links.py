"""One person, one place (issue 20): a caseworker's website pages lead to the field app,
to the same person there; other roles' pages do not offer an app that is not theirs."""

from tests.conftest import signin


def test_the_caseworker_home_links_to_the_field_app(client, make):
    signin(client, make.user("caseworker", organisation=make.organisation()))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/app"' in page


def test_a_caseworker_opens_the_same_person_in_the_field_app(client, make):
    caseworker = make.user("caseworker", organisation=make.organisation())
    person = make.client_of(caseworker)
    signin(client, caseworker)
    page = client.get(f"/aftercare/participants/{person.id}").get_data(as_text=True)
    assert f'href="/app/people/{person.id}"' in page


def test_an_officer_sees_no_field_app_link_on_the_person_page(client, make):
    facility = make.facility()
    person = make.client_of(
        make.user("caseworker", organisation=make.organisation()), facility=facility
    )
    signin(client, make.user("officer", facility=facility))
    response = client.get(f"/aftercare/participants/{person.id}")
    assert response.status_code == 200
    assert "/app/people/" not in response.get_data(as_text=True)
