from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from shared.forms import submit_helper


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _("The email address or the password is incorrect."),
        "inactive": _("This account is not active. Contact HR if you think it should be."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Log in"))

    def clean_username(self) -> str:
        # One identity whatever the letter case, also for the lockout's count.
        return self.cleaned_data["username"].lower()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """The address to send a reset link to. The page only queues the sending
    (accounts.services.password_reset_request); a Celery task builds the emails with
    `save()`, after the response."""

    TEMPLATES = {
        "subject_template_name": "accounts/email/password_reset_subject.txt",
        "email_template_name": "accounts/email/password_reset.txt",
        "html_email_template_name": "accounts/email/password_reset.html",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.helper = submit_helper(_("Send the link"))

    def get_users(self, email):
        # Django's form skips accounts without a usable password; the staff import makes
        # every account so, and this is how those people choose their first password.
        # The exact comparison after the database's drops look-alikes its case folding may
        # match (as Django's own form does); the email goes to the stored address anyway.
        address = email.strip().lower()
        return [
            user
            for user in User.objects.filter(email__iexact=address, is_active=True)
            if user.email.lower() == address
        ]

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Built in a worker, so in the recipient's language rather than a request's.
        with translation.override(context["user"].language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save the new password"))


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Change password"))


class StaffImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Personnel list (CSV or XLSX)"),
        help_text=_(
            "Columns: Namn, E-post, Förvaltning, Enhet, Titel, Chef (ja/nej). "
            "Semicolon- or comma-separated CSV from Excel works, as does .xlsx."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Show preview"))


class StaffImportConfirmForm(forms.Form):
    deactivate_missing = forms.BooleanField(
        label=_("Deactivate the managers who are not in the file"),
        required=False,
        help_text=_("They can no longer sign in. Nobody is deleted, and it can be undone."),
    )

    def __init__(self, *args, missing_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if not missing_count:
            del self.fields["deactivate_missing"]
        self.helper = submit_helper(_("Import"))


class SecondStepForm(forms.Form):
    """A code from the authenticator app, or one of the person's recovery codes."""

    otp_token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Six digits from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the code.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Continue"))


class AppSetupForm(forms.Form):
    """The first code from a newly added authenticator app, proving it is set up."""

    otp_token = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        help_text=_("The six digits the app shows for Ledarskapsportalen."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the code from the app.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Turn on two-step verification"))
