"""The lock files in requirements/ agree with pyproject.toml: every direct dependency is locked
at a version its specifier allows, with the packages its extras bring, nothing is locked for a
direct dependency pyproject.toml no longer names, the test lock installs the portal's exact
versions, and every locked package carries hashes (pip's --require-hashes needs them)."""

import re
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT = "kungsor-ledarskap"


@dataclass
class Locked:
    version: str
    marker: Marker | None
    hashes: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)


def read_lock(path: Path) -> dict[str, Locked]:
    """The packages of a uv/pip-compile lock file, by canonical name."""
    locked: dict[str, Locked] = {}
    current = None
    in_via = False
    for line in path.read_text().splitlines():
        pin = re.match(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
        if pin:
            name, version, marker = pin.groups()
            current = locked[canonicalize_name(name)] = Locked(
                version, Marker(marker) if marker else None
            )
            in_via = False
        elif current and (digest := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            current.hashes.append(digest.group(1))
        elif current and (via := re.match(r"^\s+#\s+via\s*(.*)$", line)):
            in_via = True
            if via.group(1):
                current.via.append(via.group(1).strip())
        elif current and in_via and (via := re.match(r"^\s+#\s+(\S.*)$", line)):
            current.via.append(via.group(1).strip())
        elif line.strip() and not line.lstrip().startswith("#"):
            assert line.startswith(" "), f"{path.name}: unexpected line {line!r}"
    return locked


def pyproject() -> dict:
    return tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]


PORTAL = read_lock(BASE_DIR / "requirements" / "portal.txt")
TEST = read_lock(BASE_DIR / "requirements" / "test.txt")


def direct(extra: str | None = None) -> list[Requirement]:
    project = pyproject()
    texts = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(text) for text in texts]


def extras_bring(requirement: Requirement) -> list[Requirement]:
    """What the requirement's extras add (e.g. psycopg[binary] brings psycopg-binary), read
    from the installed distribution's metadata."""
    brought = []
    for text in metadata.requires(requirement.name) or []:
        needed = Requirement(text)
        if needed.marker is None:
            continue
        if any(needed.marker.evaluate({"extra": extra}) for extra in requirement.extras):
            brought.append(needed)
    return brought


def _disagreements(requirements: list[Requirement], lock: dict[str, Locked]) -> list[str]:
    wrong = []
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        if name not in lock:
            wrong.append(f"{requirement} is not in the lock file")
            continue
        if not requirement.specifier.contains(lock[name].version, prereleases=True):
            wrong.append(f"{requirement}: the lock has {lock[name].version}")
        for brought in extras_bring(requirement):
            if canonicalize_name(brought.name) not in lock:
                wrong.append(f"{requirement} needs {brought.name}, which is not locked")
    return wrong


def _stale(allowed: list[Requirement], lock: dict[str, Locked]) -> list[str]:
    """Packages the lock says pyproject.toml asks for, which pyproject.toml no longer names."""
    names = {canonicalize_name(requirement.name) for requirement in allowed}
    return sorted(
        name
        for name, locked in lock.items()
        if any(via.startswith(PROJECT) for via in locked.via) and name not in names
    )


def test_the_portal_lock_meets_every_dependency_in_pyproject():
    assert _disagreements(direct(), PORTAL) == []


def test_the_test_lock_meets_every_dependency_and_test_extra_in_pyproject():
    assert _disagreements(direct() + direct("test"), TEST) == []


def test_the_locks_hold_no_direct_dependency_pyproject_dropped():
    assert _stale(direct(), PORTAL) == []
    assert _stale(direct() + direct("test"), TEST) == []


def test_the_test_lock_installs_the_portal_lock_unchanged():
    changed = {
        name: (locked.version, TEST.get(name) and TEST[name].version)
        for name, locked in PORTAL.items()
        if name not in TEST or TEST[name].version != locked.version
    }
    assert changed == {}


@pytest.mark.parametrize("lock", [PORTAL, TEST], ids=["portal", "test"])
def test_every_locked_package_has_hashes(lock):
    assert len(lock) > 40
    assert sorted(name for name, locked in lock.items() if not locked.hashes) == []


def test_the_check_notices_a_pyproject_that_moved_on():
    """The checks above fail on a pyproject.toml that asks for a version the lock lacks, for
    a dependency the lock lacks, and for an extra whose package is not locked."""
    moved = [Requirement("Django>=6.0"), Requirement("left-pad==1.0")]
    assert _disagreements(moved, PORTAL) == [
        "Django>=6.0: the lock has " + PORTAL["django"].version,
        "left-pad==1.0 is not in the lock file",
    ]
    without_binary = {name: v for name, v in PORTAL.items() if name != "psycopg-binary"}
    assert _disagreements([Requirement("psycopg[binary]")], without_binary) == [
        "psycopg[binary] needs psycopg-binary, which is not locked"
    ]
    assert _stale([r for r in direct() if r.name != "segno"], PORTAL) == ["segno"]


def test_the_installed_environment_is_the_locked_one():
    """What `make install-test` installed is what the test lock says (a venv made before the
    lock changed would test something else)."""
    wrong = []
    for name, locked in TEST.items():
        if locked.marker is not None and not locked.marker.evaluate():
            continue  # not for this Python or platform (e.g. colorama on Windows)
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name} is not installed")
            continue
        if installed != locked.version:
            wrong.append(f"{name} {installed} installed, {locked.version} locked")
    assert wrong == []


def test_the_sbom_tool_is_locked_apart_and_the_tests_run_without_its_libraries():
    """lxml (the SBOM tool's) would make openpyxl write spreadsheets unlike production."""
    tool = read_lock(BASE_DIR / "requirements" / "sbom.txt")
    wanted = [
        Requirement(line)
        for line in (BASE_DIR / "requirements" / "sbom.in").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    # (Not installed here, so no extras to read: sbom.in names none.)
    assert [r for r in wanted if not r.specifier.contains(tool[r.name].version)] == []
    assert all(locked.hashes for locked in tool.values())
    assert "lxml" not in PORTAL and "lxml" not in TEST
    with pytest.raises(metadata.PackageNotFoundError):
        metadata.version("lxml")
