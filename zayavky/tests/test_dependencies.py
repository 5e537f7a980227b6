"""Every package the code imports is declared in pyproject.toml, and requirements.lock pins every declared one at
the declared version (a dependency added without `make lock` fails here, not on the next machine)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "zayavky"


def _name(requirement: str) -> str:
    """The normalised distribution name of ``Django==5.2.19`` or ``psycopg[binary]==3.3.9``."""
    return re.sub(r"[-_.]+", "-", re.split(r"[\[=<>!~; ]", requirement, maxsplit=1)[0]).lower()


def _pins(requirements: list[str]) -> dict[str, str]:
    return {_name(r): r.split("==", 1)[1].split(";")[0].strip() for r in requirements}


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = _pins(PROJECT["dependencies"])
DEV = _pins(PROJECT["optional-dependencies"]["dev"])


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"zayavky"}


def _is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name in ("conftest.py", "bench.py")


def test_it_declares_every_package_the_code_imports() -> None:
    distributions = packages_distributions()
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        declared = RUNTIME | DEV if _is_test(path) else RUNTIME
        for module in _imports(path):
            names = {_name(d) for d in distributions.get(module, [module])}
            if not names & set(declared):
                missing.append(f"{path.relative_to(ROOT)}: {module} ({', '.join(sorted(names))})")
    assert not missing, "imported but not declared in pyproject.toml:\n" + "\n".join(missing)


def test_it_pins_every_declared_package_exactly() -> None:
    loose = [r for r in [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["dev"]] if "==" not in r]
    assert not loose


def test_it_locks_every_declared_package_at_its_version() -> None:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    locked = {_name(m[0]): m[1] for m in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", lock, re.MULTILINE)}
    stale = {
        name: (version, locked.get(name)) for name, version in (RUNTIME | DEV).items() if locked.get(name) != version
    }
    assert not stale, f"run `make lock`: pyproject.toml and requirements.lock differ (declared, locked): {stale}"
