def pytest_terminal_summary(terminalreporter):
    from tests.security.test_authorization_matrix import TRIED

    if TRIED["count"]:
        terminalreporter.write_line(
            f"authorization matrix: {TRIED['patterns']} URL patterns "
            f"(the admin site as one), {TRIED['count']} requests as 7 kinds of person"
        )
