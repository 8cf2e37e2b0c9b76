"""Django's database sessions, remembering when the stored row expires.

The session middleware (kungsor_ledarskap.middleware.SessionMiddleware) reads it to save a
session only when its 30 minutes need restarting, instead of on every request.
"""

from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    # When the row this session was loaded from expires; None before loading, for a new
    # session and for one that was not found (expired, signed out elsewhere).
    expire_date = None

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self.expire_date = stored.expire_date if stored else None
        return stored

    async def _aget_session_from_db(self):
        stored = await super()._aget_session_from_db()
        self.expire_date = stored.expire_date if stored else None
        return stored
