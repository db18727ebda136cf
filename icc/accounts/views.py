from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from icc.accounts import actions
from icc.accounts.forms import SignInForm
from icc.accounts.models import Person
from icc.accounts.tokens import person_for_invitation

sign_in = auth_views.LoginView.as_view(
    template_name="accounts/sign_in.html", authentication_form=SignInForm, redirect_authenticated_user=True
)
sign_out = auth_views.LogoutView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")


class _ActivePersonResetConfirmView(auth_views.PasswordResetConfirmView):
    """A reset link works only for a person who is still active."""

    def get_user(self, uidb64: str) -> Person | None:
        person = super().get_user(uidb64)
        return person if person is not None and person.is_active else None


password_reset_confirm = _ActivePersonResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    person = person_for_invitation(token)
    if person is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.accept_invitation(person=person, password=form.cleaned_data["new_password1"])
        login(request, person, backend="icc.accounts.backends.PersonBackend")
        return redirect("core:home")
    return render(request, "accounts/accept_invitation.html", {"form": form, "person": person})
