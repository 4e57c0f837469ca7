import pytest

from pilots.models import Actor


def case_data(site, **overrides):
    """A valid POST for the case form, with consent not asked of any actor."""
    data = {
        "practical_test": "",
        "school": site.schools.first().pk,
        "school_year": "8",
        "raised_by": "child",
        "concerns": ["worry", "sleep"],
        "first_contact_on": "2018-09-12",
        "sip_started_on": "",
    }
    for actor in Actor.values:
        data[f"consent-{actor}-status"] = "not_asked"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def urls(site_a):
    from django.urls import reverse

    def url(name, **kwargs):
        return reverse(f"cases:{name}", kwargs={"site_slug": site_a.slug, **kwargs})

    return url


@pytest.fixture
def confirmed_client_for(client_for):
    """A client signed in as the person, who has just confirmed their password (allauth's
    reauthentication), as exports ask."""
    from django.urls import reverse

    from tests.pilots.factories import PASSWORD

    def login(user):
        client = client_for(user)
        response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        assert response.status_code == 302
        return client

    return login
