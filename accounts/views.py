"""Sign-in pages: Django's auth views with the portal's forms, templates and emails."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from accounts import forms, mfa, security_log, services, sso
from accounts.client_address import client_ip


class LoginView(auth_views.LoginView):
    """The sign-in page: the municipality's single sign-on when it is configured, and the
    email-and-password form unless PASSWORD_SIGN_IN turned it off."""

    template_name = "accounts/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            sso_enabled=sso.enabled(),
            sso_name=settings.OIDC_PROVIDER_NAME,
            password_sign_in=sso.password_sign_in_enabled(),
        )

    def post(self, request, *args, **kwargs):
        if not sso.password_sign_in_enabled():
            messages.error(
                request,
                _("Signing in with a password is turned off. Use your municipal account."),
            )
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        # A password sign-in: any earlier single sign-on no longer vouches for the session.
        self.request.session.pop(mfa.SIGNED_IN_WITH, None)
        if mfa.needs_second_step(self.request):
            return redirect(mfa.step_url(self.request, self.get_success_url()))
        return response


class LogoutView(auth_views.LogoutView):
    """Signing out; after a single sign-on, on to the identity provider to sign out there too
    (so the next person at a shared computer is not signed straight back in)."""

    def post(self, request, *args, **kwargs):
        provider_sign_out = sso.provider_sign_out_url(request)
        response = super().post(request, *args, **kwargs)
        if provider_sign_out is None:
            return response
        return HttpResponseRedirect(provider_sign_out)


class OnlyWithPasswordsMixin:
    """Password pages answer 404 when signing in with a password is turned off."""

    # setup(), not dispatch(): Django's views mark dispatch as open to anonymous visitors.
    def setup(self, request, *args, **kwargs):
        if not sso.password_sign_in_enabled():
            raise Http404
        super().setup(request, *args, **kwargs)


class PasswordResetView(OnlyWithPasswordsMixin, auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = forms.PasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        # Only queued here: whether the address has an account, or was asked for too often,
        # shows neither in the answer nor in its time (the email is built in a worker).
        services.password_reset_request(
            email=form.cleaned_data["email"],
            ip_address=client_ip(self.request) or "-",
        )
        return redirect(self.get_success_url())


class PasswordResetDoneView(OnlyWithPasswordsMixin, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(OnlyWithPasswordsMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(OnlyWithPasswordsMixin, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:password-change-done")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            mfa_required=mfa.required_for(self.request.user),
            password_sign_in=sso.password_sign_in_enabled(),
        )

    def post(self, request, *args, **kwargs):
        if not sso.password_sign_in_enabled():
            raise Http404
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        security_log.record(
            "password_change", request=self.request, user_id=self.request.user.pk, outcome="success"
        )
        return response

    def form_invalid(self, form):
        security_log.record(
            "password_change", request=self.request, user_id=self.request.user.pk, outcome="failure"
        )
        return super().form_invalid(form)


class PasswordChangeDoneView(OnlyWithPasswordsMixin, auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
