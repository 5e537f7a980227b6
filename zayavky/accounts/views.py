"""A person's own account: the password and the second factor (ASVS 2.1, 2.7, 2.8).

- ``/account/password/`` — change one's own password (also where an administrator's "must change the
  password at the next login" sends the person);
- ``/account/second-factor/`` — give the code of the second factor after the password;
- ``/account/second-factor/setup/`` — set up an authenticator app, which also gives the recovery codes;
- ``/account/recovery-codes/`` — make new recovery codes (the old ones stop working).
"""

from __future__ import annotations

import base64
from typing import Any

import django_otp
import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from zayavky.accounts import security
from zayavky.accounts.models import User


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("web:home")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=security.MAX_SECRET,
        help_text=gettext_lazy("Six digits from the authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class OwnPasswordChangeView(PasswordChangeView):
    """Django's own form (old password, new twice, the validators of AUTH_PASSWORD_VALIDATORS)."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        user: User = form.user  # type: ignore[assignment]
        if user.must_change_password:
            User.objects.filter(pk=user.pk).update(must_change_password=False)
        messages.success(self.request, _("Your password has been changed."))
        return response


@sensitive_post_parameters("code")
@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password: the code of the second factor completes the session."""
    user: User = request.user  # type: ignore[assignment]
    if not security.has_second_factor(user):
        return HttpResponseRedirect(reverse("accounts:setup_second_factor"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = security.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("code", _("The code is wrong or has already been used. Wait for the next one."))
    status = 422 if form.errors else 200
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next(request)}, status=status)


def _qr(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4, dark="#111")
    return mark_safe(svg)  # segno's own SVG of our own otpauth:// address


@sensitive_post_parameters("code")
@login_required
def setup_second_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then give one code to confirm."""
    user: User = request.user  # type: ignore[assignment]
    if security.has_second_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
        # Whoever has a second factor proves it before adding another (a stolen password adds none).
        return HttpResponseRedirect(reverse("accounts:second_factor"))
    device = security.pending_totp(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["code"].split())):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            codes = security.new_recovery_codes(user)
            messages.success(request, _("The second factor is set up."))
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", _("The code is wrong. Check the time on the phone and try the next one."))
    context: dict[str, Any] = {
        "form": form,
        "qr": _qr(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode("ascii"),
        "required": security.second_factor_required(user),
        "next": _next(request),
    }
    return render(request, "accounts/setup_second_factor.html", context, status=422 if form.errors else 200)


@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, for a session that has proved its second factor."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(reverse("accounts:second_factor"))
    codes = security.new_recovery_codes(user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("web:home")})


def password_change_view() -> Any:
    return sensitive_post_parameters("old_password", "new_password1", "new_password2")(
        login_required(OwnPasswordChangeView.as_view())
    )
