"""The portal's admin site: Django's own, with one rule added for every list in it.

Django's admin lets the address filter a list on any field of the model (`?body__regex=^A`),
whether or not the list shows that field. On a list of journal entries that shows no text,
whether a row appears still answers a guess about the text, and a few hundred guesses read
it. So every list here accepts only the filters it declares (its `list_filter` and
`date_hierarchy`, in the forms Django's own filter links use); anything else in the address
is refused with 400 Bad Request. The rule is added to every ModelAdmin registered on this
site, third-party ones (auth, axes, django-otp) included, so a new admin cannot forget it.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

# What Django's built-in list filters put in the address after the field's path: the
# all-values filter the bare path, choices and booleans exact/isnull, date filters gte/lt,
# the empty-value filter isempty. A relation filter adds the related key (`groups__id__exact`).
FILTER_SUFFIXES = ("exact", "isnull", "gte", "lt", "isempty")
DATE_HIERARCHY_PARTS = ("year", "month", "day")


class DeclaredFiltersOnly:
    """Accept only the lookups a list's own filters make (see the module's docstring)."""

    def lookup_allowed(self, lookup, value, request) -> bool:
        return lookup in self.declared_lookups(request)

    def declared_lookups(self, request) -> set[str]:
        allowed = set()
        if self.date_hierarchy:
            allowed.update(f"{self.date_hierarchy}__{part}" for part in DATE_HIERARCHY_PARTS)
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
                allowed.add(item.parameter_name)
                continue
            path = item[0] if isinstance(item, (list, tuple)) else item
            allowed.add(path)
            allowed.update(f"{path}__{suffix}" for suffix in FILTER_SUFFIXES)
            field = get_fields_from_path(self.model, path)[-1]
            if field.is_relation:
                allowed.add(f"{path}__{field.target_field.name}__exact")
        return allowed


class PortalAdminSite(admin.AdminSite):
    site_header = _("Ledarskapsportalen – administration")
    site_title = _("Ledarskapsportalen")
    index_title = _("Administration")

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        # One sign-in page for everyone, with its lockout, two-step verification and SSO.
        from portal.views import admin_sign_in

        return admin_sign_in(request, extra_context)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, DeclaredFiltersOnly):
            admin_class = type(
                admin_class.__name__,
                (DeclaredFiltersOnly, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
