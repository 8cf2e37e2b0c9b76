"""`make sbom` writes a CycloneDX bill of materials of what production installs: read here as
plain JSON, against the portal's lock file (not through cyclonedx's own library)."""

import json
import subprocess
import tomllib

from packaging.utils import canonicalize_name

from tests.test_lock_files import BASE_DIR, PORTAL


def test_the_sbom_names_every_locked_package_with_its_version_and_licence(tmp_path):
    out = tmp_path / "sbom.cdx.json"
    subprocess.run(
        ["make", "--no-print-directory", "-s", "sbom", f"SBOM={out}"],
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
        timeout=300,
    )
    bom = json.loads(out.read_text())

    assert bom["bomFormat"] == "CycloneDX"
    assert bom["specVersion"] == "1.6"
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    assert bom["metadata"]["component"]["name"] == project["name"]
    assert bom["metadata"]["component"]["version"] == project["version"]

    listed = {
        canonicalize_name(component["name"]): component["version"]
        for component in bom["components"]
    }
    installed_here = {
        name: locked.version
        for name, locked in PORTAL.items()
        if locked.marker is None or locked.marker.evaluate()
    }
    assert listed == installed_here
    for component in bom["components"]:
        name = canonicalize_name(component["name"])
        assert component["purl"] == f"pkg:pypi/{name}@{component['version']}"
    # Licences as the packages declare them, for the procurement's questions.
    without = [c["name"] for c in bom["components"] if not c.get("licenses")]
    assert without == []
    django = next(c for c in bom["components"] if c["name"] == "Django")
    assert django["licenses"][0]["license"]["id"] == "BSD-3-Clause"
    # Who needs whom: every component appears in the dependency graph.
    assert {d["ref"] for d in bom["dependencies"]} >= {c["bom-ref"] for c in bom["components"]}
