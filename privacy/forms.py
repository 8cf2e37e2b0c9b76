from django import forms
from django.utils.translation import gettext_lazy as _

from shared.forms import submit_helper


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or email address"), max_length=200, required=False)


class EraseForm(forms.Form):
    """Erasing cannot be undone: the administrator types the person's address to confirm."""

    confirm_email = forms.CharField(
        label=_("Type the person's email address to confirm"), max_length=320
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.helper = submit_helper(_("Erase for good"))
        self.helper.inputs[0].field_classes = "btn btn-danger"

    def clean_confirm_email(self) -> str:
        typed = self.cleaned_data["confirm_email"].strip()
        if typed.lower() != self.person.email.lower():
            raise forms.ValidationError(
                _("That is not this person's email address. Nothing was erased.")
            )
        return typed
