"""Protected login: lockout after failed attempts, a configurable admin path, strong passwords."""

import datetime
import importlib
import logging
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import clear_url_caches, reverse

pytestmark = pytest.mark.django_db

PASSWORD = "Wohnraum-fuer-alle-2019"


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("redakteur", password=PASSWORD, is_staff=True)


def login(client, password):
    return client.post(
        reverse("admin:login"), {"username": "redakteur", "password": password, "next": reverse("admin:index")}
    )


def test_admin_login_works_with_the_right_password(client, editor):
    response = login(client, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_five_failed_logins_lock_the_user_out_for_15_minutes(client, editor, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        failures = [login(client, f"falsch-{attempt}") for attempt in range(4)]
        fifth = login(client, "falsch-5")
        correct = login(client, PASSWORD)

    assert [response.status_code for response in failures] == [200] * 4
    assert (fifth.status_code, correct.status_code) == (429, 429)
    html = correct.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in html
    assert "Nach 5 fehlgeschlagenen Anmeldeversuchen für dieses Konto von dieser Adresse" in html
    assert "für 15 Minuten gesperrt" in html
    # The refused sixth attempt counts too.
    attempt = AccessAttempt.objects.get(username="redakteur")
    assert (attempt.ip_address, attempt.failures_since_start) == ("127.0.0.1", 6)
    assert any("Locking out" in record.getMessage() for record in caplog.records)


def test_lockout_is_per_address(client, editor):
    for attempt in range(5):
        login(client, f"falsch-{attempt}")

    response = client.post(
        reverse("admin:login"),
        {"username": "redakteur", "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR="192.0.2.7",
    )

    assert response.status_code == 302


@pytest.fixture
def behind_one_proxy(settings, monkeypatch):
    """The settings that DJANGO_PROXY_COUNT=1 gives (docs/deploy.md): one load balancer in front."""
    import winnenden.settings

    monkeypatch.setenv("DJANGO_PROXY_COUNT", "1")
    configured = importlib.reload(winnenden.settings)
    for name in dir(configured):
        if "PROXY" in name or name.startswith("AXES_"):
            setattr(settings, name, getattr(configured, name))
    monkeypatch.delenv("DJANGO_PROXY_COUNT")
    importlib.reload(winnenden.settings)


def login_from(client, address, password, forwarded_for=None):
    """A login through the load balancer (REMOTE_ADDR 127.0.0.1), which appends the client's address."""
    chain = f"{forwarded_for}, {address}" if forwarded_for else address
    return client.post(
        reverse("admin:login"),
        {"username": "redakteur", "password": password, "next": reverse("admin:index")},
        HTTP_X_FORWARDED_FOR=chain,
    )


def test_failures_from_five_addresses_behind_a_proxy_do_not_lock_the_user_out(client, editor, behind_one_proxy):
    failures = [login_from(client, f"198.51.100.{n}", "falsch") for n in range(1, 6)]
    correct = login_from(client, "198.51.100.6", PASSWORD)

    assert [response.status_code for response in failures] == [200] * 5
    assert (correct.status_code, correct["Location"]) == (302, reverse("admin:index"))
    recorded = sorted(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert recorded == [f"198.51.100.{n}" for n in range(1, 6)]


def test_five_failures_from_one_address_behind_a_proxy_lock_that_address(client, editor, behind_one_proxy):
    for _ in range(5):
        login_from(client, "198.51.100.1", "falsch")

    same = login_from(client, "198.51.100.1", PASSWORD)
    other = login_from(client, "198.51.100.2", PASSWORD)

    assert "Anmeldung vorübergehend gesperrt" in same.content.decode()
    assert (other.status_code, other["Location"]) == (302, reverse("admin:index"))


def test_forged_forwarded_addresses_left_of_the_proxys_entry_are_ignored(client, editor, behind_one_proxy):
    for n in range(5):
        login_from(client, "198.51.100.1", "falsch", forwarded_for=f"203.0.113.{n}")

    response = login_from(client, "198.51.100.1", PASSWORD, forwarded_for="203.0.113.99")

    assert "Anmeldung vorübergehend gesperrt" in response.content.decode()
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.1"]


def test_forwarded_for_is_ignored_without_the_proxy_setting(client, editor):
    for n in range(1, 6):
        login_from(client, f"198.51.100.{n}", "falsch")

    response = login_from(client, "198.51.100.6", PASSWORD)

    assert "Anmeldung vorübergehend gesperrt" in response.content.decode()
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


def test_lockout_page_extends_the_admin_base(client, editor):
    for attempt in range(5):
        login(client, f"falsch-{attempt}")

    response = login(client, PASSWORD)

    names = [template.name for template in response.templates]
    assert {"admin/lockout.html", "admin/base_site.html"} <= set(names)


@pytest.fixture
def admin_path(settings):
    """Reload the URLconf with another admin path, and restore it afterwards."""
    import winnenden.urls

    def use(path):
        settings.ADMIN_PATH = path
        importlib.reload(winnenden.urls)
        clear_url_caches()

    yield use
    settings.ADMIN_PATH = "admin/"
    importlib.reload(winnenden.urls)
    clear_url_caches()


def test_admin_is_served_at_the_configured_path(client, admin_path):
    admin_path("verwaltung-7f3a/")

    configured = client.get("/verwaltung-7f3a/")
    default = client.get("/admin/")

    assert reverse("admin:index") == "/verwaltung-7f3a/"
    assert (configured.status_code, configured["Location"]) == (302, "/verwaltung-7f3a/login/?next=/verwaltung-7f3a/")
    assert default.status_code == 404


def test_admin_path_comes_from_the_environment(monkeypatch):
    import winnenden.settings

    monkeypatch.setenv("DJANGO_ADMIN_PATH", "/intern/redaktion")
    try:
        assert importlib.reload(winnenden.settings).ADMIN_PATH == "intern/redaktion/"
    finally:
        monkeypatch.delenv("DJANGO_ADMIN_PATH")
        importlib.reload(winnenden.settings)


@pytest.mark.parametrize(
    "password",
    [
        "passwort",
        "sommer2019",
        "12345678901234",
        "winnenden",
        "passwordpassword",
        "Winnenden2019",
        "aaaaaaaaaaaa",
        "Ergebnisarchiv2019",
        "Regionalkonferenz!",
    ],
)
def test_weak_passwords_are_rejected(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["passwordpassword", "Winnenden2019", "aaaaaaaaaaaa"])
def test_guessable_passwords_are_rejected_as_guessable(password):
    with pytest.raises(ValidationError) as error:
        validate_password(password)

    assert "password_too_guessable" in [e.code for e in error.value.error_list]


def test_short_passwords_are_rejected_below_12_characters():
    with pytest.raises(ValidationError) as error:
        validate_password("kq8#Lm2v!Pz")

    assert [e.code for e in error.value.error_list] == ["password_too_short"]


def test_createsuperuser_refuses_a_guessable_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Winnenden2019")

    with pytest.raises(CommandError) as error:
        call_command("createsuperuser", interactive=False, username="chefin", email="chefin@example.org")

    assert "zu leicht zu erraten" in str(error.value)
    assert not get_user_model().objects.filter(username="chefin").exists()


def test_createsuperuser_accepts_a_strong_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Brücken bauen zwischen Ämtern")

    call_command("createsuperuser", interactive=False, username="chefin", email="chefin@example.org", stdout=StringIO())

    assert get_user_model().objects.get(username="chefin").check_password("Brücken bauen zwischen Ämtern")


def test_password_like_the_username_is_rejected():
    user = get_user_model()(username="integrationsmanagerin", email="im@example.org")

    with pytest.raises(ValidationError) as error:
        validate_password("integrationsmanagerin1", user)

    assert any(e.code == "password_too_similar" for e in error.value.error_list)


def test_strong_password_is_accepted():
    assert validate_password("Brücken bauen zwischen Ämtern") is None


def test_strong_password_longer_than_zxcvbn_allows_is_accepted():
    # zxcvbn raises ValueError above 72 characters; the validator scores only the start instead of failing.
    password = "Brücken bauen zwischen Ämtern, Vereinen und Nachbarn in jedem Ortsteil seit 2019"

    assert len(password) == 80
    assert validate_password(password) is None


def test_redaktion_group_has_every_content_permission_but_none_for_users():
    group = Group.objects.get(name="Redaktion")

    granted = set(group.permissions.values_list("content_type__app_label", "codename"))

    # The report form's counters (FormUse) are not content: nobody edits them.
    results_permissions = set(
        Permission.objects.filter(content_type__app_label="results")
        .exclude(content_type__model="formuse")
        .values_list("content_type__app_label", "codename")
    )
    assert granted == results_permissions
    assert {
        ("results", "change_card"),
        ("results", "delete_card"),
        ("results", "view_historicalcard"),
        ("results", "change_report"),
        ("results", "change_themetable"),
    } <= granted
    assert not {label for label, _ in granted} - {"results"}


def test_staff_session_ends_after_eight_idle_hours(client, editor, monkeypatch):
    from django.utils import timezone

    login(client, PASSWORD)
    start = timezone.now()

    def at(hours):
        monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(hours=hours))
        return client.get(reverse("admin:index"))

    busy = [at(7).status_code, at(14).status_code, at(21.9).status_code]
    idle = at(21.9 + 8.1)

    assert busy == [200, 200, 200]
    assert (idle.status_code, idle["Location"]) == (302, reverse("admin:login") + "?next=" + reverse("admin:index"))


def test_session_idle_time_comes_from_the_environment(monkeypatch):
    import winnenden.settings

    monkeypatch.setenv("DJANGO_SESSION_IDLE_HOURS", "0.5")
    try:
        assert importlib.reload(winnenden.settings).SESSION_COOKIE_AGE == 30 * 60
    finally:
        monkeypatch.delenv("DJANGO_SESSION_IDLE_HOURS")
        importlib.reload(winnenden.settings)
