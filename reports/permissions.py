"""Who may see HR's reports: HR, and administrators."""

from accounts.permissions import AnyUser, is_admin, is_hr


def can_see_reports(user: AnyUser) -> bool:
    return is_hr(user) or is_admin(user)
