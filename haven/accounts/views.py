"""Sign in with a password, then a TOTP code (django-otp); lockout by django-axes."""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.audit.log import Action, record
from haven.core.decorators import mfa_exempt, public

from .forms import SignInForm, TokenForm


def _step(path: str, nxt: str):
    return redirect(f"{path}?{urlencode({'next': nxt})}")


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return redirect(default).url


@public
def sign_in(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_next_url(request))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is None:
            record(request, Action.SIGN_IN_FAILED, summary=form.cleaned_data["username"][:150])
            form.add_error(None, "Enter a correct username and password")
        else:
            login(request, user)
            nxt = _next_url(request)
            if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
                return _step("/sign-in/verify/", nxt)
            return _step("/sign-in/set-up/", nxt)
    return render(request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


@mfa_exempt
def verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    if not devices:
        return _step("/sign-in/set-up/", _next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed = [d for d in devices if d.verify_is_allowed()[0]]
        device = next((d for d in allowed if d.verify_token(form.cleaned_data["token"])), None)
        if not allowed:
            form.add_error("token", "You have entered too many wrong codes. Wait a minute, then enter the newest code")
        elif device is None:
            form.add_error("token", "The security code is not right, or has expired. Try the newest code")
        else:
            otp_login(request, device)
            record(request, Action.SIGN_IN, summary="Signed in with password and TOTP")
            return redirect(_next_url(request))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@mfa_exempt
def set_up_mfa(request):
    """First sign-in: enrol an authenticator app. Refused if the user already has one (a stolen
    password must not be enough to add a second device)."""
    user = request.user
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return _step("/sign-in/verify/", _next_url(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            record(request, Action.SIGN_IN, summary="Enrolled an authenticator app and signed in")
            messages.success(request, "Your authenticator app is set up")
            return redirect(_next_url(request))
        form.add_error("token", "The security code is not right. Check the app shows Haven and try again")
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/set_up.html", {
        "form": form, "qr_svg": buffer.getvalue().decode(), "secret": secret, "next": _next_url(request),
    })


@public
@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, "You have signed out")
    return redirect("accounts:sign-in")


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when an account is locked after repeated failures."""
    record(request, Action.SIGN_IN_FAILED, summary="Locked out", detail={"locked": True})
    return render(request, "accounts/locked.html", status=429)
