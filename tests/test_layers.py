"""The apps' order (DESIGN: each app may use those above it, never those below): read from the
code's import statements, so an import cycle between apps cannot come back unnoticed."""

import ast
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# In DESIGN's order: an app may import those before it, never those after it. `shared` knows
# no app; `portal` (start pages, error pages, navigation, middleware, the admin site) comes
# after the domain apps it shows; `demo` uses them all.
ORDER = [
    "shared",
    "accounts",
    "notifications",
    "programme",
    "sessions",
    "reflections",
    "evaluations",
    "network",
    "reminders",
    "reports",
    "privacy",
    "health",
    "portal",
    "demo",
]
# The settings package is configuration: an app may use its Celery app, nothing else of it.
SETTINGS_PACKAGE = "kungsor_ledarskap"
ALLOWED_FROM_SETTINGS = {"kungsor_ledarskap.celery"}


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
    return found


def _wrong_imports() -> list[str]:
    rank = {app: number for number, app in enumerate(ORDER)}
    wrong = []
    for app in ORDER:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            for module, line in _imports(path):
                top = module.split(".")[0]
                settings_package = top == SETTINGS_PACKAGE and module not in ALLOWED_FROM_SETTINGS
                if settings_package or rank.get(top, -1) > rank[app]:
                    wrong.append(f"{path.relative_to(BASE_DIR)}:{line} imports {module}")
    return wrong


def test_no_app_imports_one_after_it_nor_the_settings_package():
    assert _wrong_imports() == []


def test_every_app_is_in_the_order():
    apps = {
        path.parent.name
        for path in BASE_DIR.glob("*/apps.py")
        if path.parent.name != SETTINGS_PACKAGE
    }
    assert apps <= set(ORDER)
