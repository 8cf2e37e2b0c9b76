# The known organisation of the report tests: departments for the sick-leave parser to match.
from tests.reports.conftest import known  # noqa: F401
