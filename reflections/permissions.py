"""Who may read and write journal entries. Private by default; shared only with coaches."""

from accounts.permissions import AnyUser, is_coach, is_manager


def can_keep_journal(user: AnyUser) -> bool:
    return is_manager(user)


def can_read_shared(user: AnyUser) -> bool:
    return is_coach(user)
