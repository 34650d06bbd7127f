"""Password then TOTP; lockout after repeated failures; sessions expire when idle."""

import datetime as dt

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.audit.models import AccessLog
from haven.core.testing import PASSWORD, make_user


def code_for(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_it_signs_in_with_a_password_then_a_security_code(world, client):
    response = client.post("/sign-in/?next=/people/", {"username": "alice", "password": PASSWORD, "next": "/people/"})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/verify/")
    # half signed in: pages still refuse
    assert client.get("/people/")["Location"].startswith("/sign-in/verify/")
    assert client.get("/api/v1/people/?name=x").status_code == 401
    wrong = client.post("/sign-in/verify/", {"token": "000000", "next": "/people/"})
    assert "The security code is not right" in wrong.content.decode()
    # django-otp throttles after a failure: the next try, even right, must wait
    throttled = client.post("/sign-in/verify/", {"token": code_for(world.alice), "next": "/people/"})
    assert "too many wrong codes" in throttled.content.decode()
    TOTPDevice.objects.filter(user=world.alice).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    response = client.post("/sign-in/verify/", {"token": code_for(world.alice), "next": "/people/"})
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    assert AccessLog.objects.filter(action="sign_in", username="alice").exists()


def test_a_wrong_password_gets_a_clear_error(world, client):
    body = client.post("/sign-in/", {"username": "alice", "password": "nope"}).content.decode()
    assert "Enter a correct username and password" in body and "<title>Error: " in body
    assert AccessLog.objects.filter(action="sign_in_failed").exists()


def test_repeated_wrong_passwords_lock_the_account(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": "alice", "password": "wrong-password"})
    locked = client.post("/sign-in/", {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429 and "Your account is locked" in locked.content.decode()
    assert client.get("/people/")["Location"].startswith("/sign-in/")
    # another account is unaffected
    assert client.post("/sign-in/", {"username": "bob", "password": PASSWORD}).status_code == 302


def test_a_new_user_enrols_an_authenticator_on_first_sign_in(world, client):
    make_user("newbie", enrol=False)
    response = client.post("/sign-in/", {"username": "newbie", "password": PASSWORD})
    assert response["Location"].startswith("/sign-in/set-up/")
    page = client.get(response["Location"]).content.decode()
    assert "Set up your authenticator app" in page and "<svg" in page
    device = TOTPDevice.objects.get(user__username="newbie", confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/sign-in/set-up/", {"token": code}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_a_password_alone_cannot_enrol_a_second_authenticator(world, client):
    client.post("/sign-in/", {"username": "alice", "password": PASSWORD})
    response = client.get("/sign-in/set-up/")
    assert response["Location"].startswith("/sign-in/verify/")
    assert TOTPDevice.objects.filter(user=world.alice).count() == 1


def test_sessions_expire_after_inactivity(world, as_user):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = as_user(world.alice)
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_an_open_redirect_is_refused(world, client):
    client.post("/sign-in/", {"username": "alice", "password": PASSWORD})
    response = client.post("/sign-in/verify/", {"token": code_for(world.alice), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_signing_out_ends_the_session(world, as_user):
    client = as_user(world.alice)
    client.post("/sign-out/")
    assert client.get("/")["Location"].startswith("/sign-in/")


def test_the_health_check_is_public_and_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
