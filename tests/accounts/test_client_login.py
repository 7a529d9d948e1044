import pytest
from django.urls import reverse

from accounts.services import client_login_create, totp_current_code
from core.exceptions import InvalidInput
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a long portal passphrase"


def test_a_client_signs_in_to_the_portal_with_password_and_code(client, make_staff):
    person = ClientFactory.create()
    client_login_create(client=person, username="c1", password=PASSWORD, by=make_staff())
    person.refresh_from_db()

    refused = client.post(reverse("portal:login"), {"username": "c1", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session

    assert person.user is not None
    code = totp_current_code(user=person.user)
    response = client.post(
        reverse("portal:login"), {"username": "c1", "password": PASSWORD, "otp_token": code}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")  # not Django's /accounts/profile/
    home = client.get(reverse("portal:home"))
    assert person.client_no in home.content.decode()


def test_a_second_login_or_a_weak_password_is_refused(make_staff):
    person = ClientFactory.create()
    with pytest.raises(InvalidInput, match="too short"):
        client_login_create(client=person, username="c1", password="short", by=make_staff())
    person.refresh_from_db()
    assert person.user is None
    client_login_create(client=person, username="c1", password=PASSWORD, by=make_staff())
    with pytest.raises(InvalidInput, match="already has a portal login"):
        client_login_create(client=person, username="c2", password=PASSWORD, by=make_staff())


def test_the_login_keeps_the_address_for_one_time_codes(make_staff):
    person = ClientFactory.create()
    with pytest.raises(InvalidInput, match="'not-an-address' is not an email address"):
        client_login_create(
            client=person, username="c1", password=PASSWORD, by=make_staff(), email="not-an-address"
        )
    person.refresh_from_db()
    assert person.user is None
    client_login_create(
        client=person, username="c1", password=PASSWORD, by=make_staff(), email="c1@example.com"
    )
    person.refresh_from_db()
    assert person.user is not None and person.user.email == "c1@example.com"
