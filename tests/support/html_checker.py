"""The Nu Html Checker (vnu.jar, the W3C's HTML validator), a reader of the portal's markup
that the portal does not use: installed by `make install-test` from tests/html_checker
(npm's vnu-jar) and run on Java (Debian's default-jre-headless)."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

VNU = Path(__file__).parents[1] / "html_checker/node_modules/vnu-jar/build/dist/vnu.jar"


def html_errors(documents: dict[str, str]) -> list[str]:
    """The checker's errors in each document ({name: HTML}), as "name: line N: message";
    one run of the checker for all of them (Java starts once)."""
    java = shutil.which("java")
    if java is None or not VNU.exists():
        pytest.fail(f"The Nu Html Checker needs java and {VNU}: run `make install-test`")
    with tempfile.TemporaryDirectory() as folder:
        files, names = [], {}
        for number, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{number}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
            names[path.name] = name
        run = subprocess.run(
            [java, "-jar", str(VNU), "--format", "json", "--errors-only", *files],
            capture_output=True,
            text=True,
            timeout=300,
        )
    # The report goes to standard error; a message about no document (java's own failure)
    # is an error too.
    report = json.loads(run.stderr)
    return [
        f"{names.get(message.get('url', '').rsplit('/', 1)[-1], '?')}: "
        f"line {message.get('lastLine', '?')}: {message['message']}"
        for message in report["messages"]
    ]
