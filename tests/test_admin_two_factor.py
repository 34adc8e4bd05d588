"""Two-factor login for staff (DJANGO_ADMIN_2FA=1): setting up an app, logging in with its code, recovery codes."""

import re
import urllib.parse

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.test_qr import decode

pytestmark = pytest.mark.django_db

PASSWORD = "Wohnraum-fuer-alle-2019"
ADMIN = "/admin/"


@pytest.fixture(autouse=True)
def two_factor(settings):
    settings.ADMIN_TWO_FACTOR = True


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("redakteur", password=PASSWORD, is_staff=True, is_superuser=True)


def code(device, steps_ahead=0):
    """The code the authenticator app shows now (or `steps_ahead` periods later)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0 - steps_ahead * device.step, device.digits):06d}"


def password_login(client):
    response = client.post(reverse("admin:login"), {"username": "redakteur", "password": PASSWORD, "next": ADMIN})
    assert response["Location"] == ADMIN
    return client.get(ADMIN)


@pytest.fixture
def enrolled(editor):
    """The editor with a confirmed app and recovery codes, as after setting it up."""
    client = Client()
    password_login(client)
    client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user=editor)
    page = client.post(reverse("two-factor-setup"), {"code": code(device), "next": ADMIN})
    return device, re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.content.decode())


def test_first_login_asks_to_set_up_an_app(client, editor):
    first = password_login(client)
    to_setup = client.get(first["Location"])
    setup = client.get(to_setup["Location"])

    assert first["Location"] == reverse("two-factor") + "?next=/admin/"
    assert to_setup["Location"] == reverse("two-factor-setup") + "?next=/admin/"
    device = TOTPDevice.objects.get(user=editor)
    assert device.confirmed is False
    html = setup.content.decode()
    qr = re.search(r'<img src="(data:image/svg\+xml[^"]+)"', html).group(1)
    assert decode(urllib.parse.unquote(qr.split(",", 1)[1]).encode()) == [device.config_url]
    assert setup.context["secret"] in html
    assert device.config_url.startswith("otpauth://totp/Ergebnisarchiv%3Aredakteur?secret=")


def test_setting_up_the_app_shows_ten_recovery_codes_once_and_opens_the_admin(client, editor):
    password_login(client)
    client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user=editor)

    page = client.post(reverse("two-factor-setup"), {"code": code(device), "next": ADMIN})
    admin = client.get(ADMIN)

    shown = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.content.decode())
    stored = StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)
    assert len(shown) == 10
    assert sorted(shown) == sorted(stored)
    device.refresh_from_db()
    assert device.confirmed is True
    assert admin.status_code == 200
    assert admin.context["title"] == "Website-Verwaltung"


def test_wrong_code_during_setup_confirms_nothing(client, editor):
    password_login(client)
    client.get(reverse("two-factor-setup"))

    response = client.post(reverse("two-factor-setup"), {"code": "000000", "next": ADMIN})

    assert response.context["form"].errors["code"] == [
        "Dieser Code stimmt nicht. Bitte geben Sie den aktuellen Code aus der App ein."
    ]
    assert TOTPDevice.objects.get(user=editor).confirmed is False
    assert client.get(ADMIN)["Location"] == reverse("two-factor") + "?next=/admin/"


def test_login_with_password_and_the_apps_code(enrolled):
    device, _codes = enrolled
    client = Client()
    password_login(client)

    response = client.post(reverse("two-factor"), {"code": code(device, steps_ahead=1), "next": ADMIN})

    assert response["Location"] == ADMIN
    assert client.get(ADMIN).context["title"] == "Website-Verwaltung"


@pytest.mark.usefixtures("enrolled")
def test_login_with_a_wrong_code_stays_out_of_the_admin():
    client = Client()
    password_login(client)

    response = client.post(reverse("two-factor"), {"code": "123456", "next": ADMIN})

    assert response.context["form"].errors["code"] == [
        "Dieser Code stimmt nicht. Bitte geben Sie den aktuellen Code ein."
    ]
    assert client.get(ADMIN)["Location"] == reverse("two-factor") + "?next=/admin/"
    assert client.get(reverse("admin:results_card_changelist")).status_code == 302


def test_password_alone_cannot_set_up_a_second_app(enrolled):
    client = Client()
    password_login(client)

    response = client.get(reverse("two-factor-setup"))
    attempt = client.post(reverse("two-factor-setup"), {"code": "000000"})

    assert response["Location"] == reverse("two-factor") + "?next=/admin/"
    assert attempt["Location"] == reverse("two-factor") + "?next=/admin/"
    assert TOTPDevice.objects.filter(user__username="redakteur").count() == 1


def test_a_recovery_code_logs_in_once(enrolled):
    _device, codes = enrolled
    first, second = Client(), Client()
    password_login(first)
    password_login(second)

    used = first.post(reverse("two-factor"), {"code": codes[0].upper(), "next": ADMIN})
    again = second.post(reverse("two-factor"), {"code": codes[0], "next": ADMIN})

    assert used["Location"] == ADMIN
    assert first.get(ADMIN).status_code == 200
    assert again.status_code == 200
    assert second.get(ADMIN).status_code == 302
    assert StaticToken.objects.filter(device__user__username="redakteur").count() == 9


def test_after_a_recovery_code_a_new_phone_replaces_the_old_one(enrolled):
    old, codes = enrolled
    client = Client()
    password_login(client)
    client.post(reverse("two-factor"), {"code": codes[0], "next": ADMIN})

    client.get(reverse("two-factor-setup"))
    new = TOTPDevice.objects.get(user__username="redakteur", confirmed=False)
    page = client.post(reverse("two-factor-setup"), {"code": code(new), "next": ADMIN})

    assert list(TOTPDevice.objects.filter(user__username="redakteur").values_list("pk", flat=True)) == [new.pk]
    assert old.pk != new.pk
    new_codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.content.decode())
    assert not set(new_codes) & set(codes)


def test_without_the_setting_the_password_is_enough(client, editor, settings):
    settings.ADMIN_TWO_FACTOR = False

    assert password_login(client).status_code == 200
