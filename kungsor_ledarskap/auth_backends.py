"""Permissions read in one query.

Every signed-in page asks the role predicates (accounts.permissions) for its navigation,
and Django's ModelBackend reads a person's permissions in two queries (their own, their
groups'). This backend, listed before ModelBackend, reads both in one and keeps the result
where ModelBackend keeps its own (`user._perm_cache`, for the request), so ModelBackend
answers from it without a query. It signs no one in and answers nothing else (no get_user:
sessions, and the test client's force_login, stay with ModelBackend).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q


class OneQueryPermissionsBackend:
    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:
                user_permissions = user_obj.user_permissions.through.objects.filter(
                    **{user_obj.user_permissions.source_field_name: user_obj}
                ).values("permission")
                group_permissions = Group.permissions.through.objects.filter(
                    group__in=user_obj.groups.through.objects.filter(
                        **{user_obj.groups.source_field_name: user_obj}
                    ).values("group")
                ).values("permission")
                permissions = Permission.objects.filter(
                    Q(pk__in=user_permissions) | Q(pk__in=group_permissions)
                )
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache
