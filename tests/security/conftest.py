def pytest_terminal_summary(terminalreporter):
    from tests.security.test_authorization_matrix import TRIED

    if TRIED["count"]:
        terminalreporter.write_line(
            f"authorization matrix: {TRIED['patterns']} URL patterns "
            f"(the admin site as one), {TRIED['count']} requests as 7 kinds of person"
        )


# The known organisation of the report tests: departments for the sick-leave parser to match.
from tests.reports.conftest import known  # noqa: E402, F401
