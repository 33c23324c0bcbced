"""The two lock files pin the same versions: production installs requirements-prod.lock
(without the test tools), CI and developers requirements.lock; a package both need must be the
same release in both, or production would run what CI never tested."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s\\]+)", re.M)


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return {pkg.lower().replace("_", "-"): version for pkg, version in PIN.findall(text)}


def _requirement_name(spec: str) -> str:
    return re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0].lower().replace("_", "-")


def test_production_pins_are_the_ones_ci_tests():
    prod, dev = _pins("requirements-prod.lock"), _pins("requirements.lock")
    assert prod, "requirements-prod.lock pins nothing"
    assert {pkg: v for pkg, v in prod.items() if dev.get(pkg) != v} == {}


def test_production_lock_has_every_runtime_dependency_and_no_test_tool():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    prod = _pins("requirements-prod.lock")
    runtime = {_requirement_name(spec) for spec in project["dependencies"]}
    assert runtime - prod.keys() == set()
    tools = {_requirement_name(spec) for spec in project["optional-dependencies"]["dev"]}
    assert tools & prod.keys() == set()
