# The reminder scenario (a session the day before Ascension Day) is shared with the unit tests.
from tests.reminders.conftest import ascension  # noqa: F401
