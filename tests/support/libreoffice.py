"""LibreOffice as the second client of the portal's spreadsheets: it opens the files the
way HR's office suite does, and writes out what it shows."""

import shutil
import subprocess
from pathlib import Path

# Semicolon-separated, double quotes around text, UTF-8: the portal's CSV (and what
# LibreOffice writes back when it converts to CSV).
CSV_FILTER = "Text - txt - csv (StarCalc):59,34,76"


def convert(sources: list[Path], to: str, outdir: Path, *, infilter: str = "") -> list[Path]:
    """Open each file in LibreOffice (headless) and save it as `to` ("csv:<filter>" or
    "xlsx") in `outdir`; the converted files, in the order of `sources`."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed (scripts/ensure_services.sh installs it)"
    command = [
        soffice,
        f"-env:UserInstallation=file://{outdir / 'profile'}",
        "--headless",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        to,
        "--outdir",
        str(outdir),
        *map(str, sources),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    extension = to.split(":")[0]
    converted = [outdir / f"{source.stem}.{extension}" for source in sources]
    for path in converted:
        assert path.exists(), (path, result.stdout, result.stderr)
    return converted
