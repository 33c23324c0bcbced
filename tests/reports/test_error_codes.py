"""Every error code the service can answer with is listed in a domain's ``StrEnum``, so the API
can publish the list and a new free-form code fails here."""

from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

import pytest

import lapor
from lapor.core import error_codes
from lapor.core.errors import Conflict, LaporError
from lapor.reports.error_codes import ReportErrorCode

ROOT = Path(lapor.__file__).parent
BASE_ERRORS = {"LaporError", "ValidationFailed", "NotAllowed", "NotFound", "Conflict"}


def _sources() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(), str(path)))
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _api_codes() -> set[str]:
    """The API's own codes (authentication, paging, ...), listed by ``lapor.api.errors``
    alongside the domains' enums until they move into a registered enum of their own."""
    try:
        from lapor.api.errors import API_ERROR_CODES
    except ImportError:
        return set()
    return set(API_ERROR_CODES)


def _error_classes(trees: list[tuple[Path, ast.Module]]) -> set[str]:
    """The names of ``LaporError`` and of every class in ``lapor`` derived from it."""
    names = set(BASE_ERRORS)
    grew = True
    while grew:
        grew = False
        for _path, tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    bases = {
                        b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                        for b in node.bases
                    }
                    if bases & names:
                        names.add(node.name)
                        grew = True
    return names


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _unlisted(value: ast.expr, listed: set[str], enums: dict[str, type[StrEnum]]) -> str | None:
    """Why the code ``value`` is not one of the enums' members, or None if it is."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return None if value.value in listed else repr(value.value)
    if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
        enum = enums.get(value.value.id)
        if enum is not None and value.attr in enum.__members__:
            return None
        return f"{value.value.id}.{value.attr}"
    if isinstance(value, ast.Call) and _name(value.func) in enums:
        return None  # ``ReportErrorCode(f"{field}_required")``: refused at run time if unlisted
    return ast.unparse(value)


def test_every_code_raised_in_lapor_is_in_a_domain_enum():
    # given every domain's listed codes, and every error raised or declared in lapor/
    listed = set(error_codes.all_error_codes()) | _api_codes()
    enums = {e.__name__: e for e in error_codes.domains()}
    trees = _sources()
    errors = _error_classes(trees)
    found, unlisted = 0, []
    for path, tree in trees:
        for node in ast.walk(tree):
            codes: list[ast.expr] = []
            if isinstance(node, ast.Call) and _name(node.func) in errors:
                codes = [k.value for k in node.keywords if k.arg == "code"]
            elif isinstance(node, ast.ClassDef) and node.name in errors:
                codes = [
                    s.value
                    for s in node.body
                    if isinstance(s, ast.Assign | ast.AnnAssign)
                    and s.value is not None
                    and "code"
                    in {_name(t) for t in getattr(s, "targets", [getattr(s, "target", None)]) if t}
                ]
            for value in codes:
                found += 1
                why = _unlisted(value, listed, enums)
                if why:
                    unlisted.append(f"{path.relative_to(ROOT.parent)}:{value.lineno} {why}")
    # then each is a member of a listed enum (add a new code to its domain's error_codes.py)
    assert found > 60
    assert unlisted == []


def test_the_list_gathers_every_domain_and_each_code_once():
    codes = error_codes.all_error_codes()
    assert len(codes) == len(set(codes))
    for code in (
        "invalid",
        "conflict",
        "idempotency_key_reused",
        "report_changed",
        "not_permitted",
        "file_too_large",
        "activation_link_invalid",
        "unit_required",
    ):
        assert code in codes


def test_an_enum_member_is_the_code_callers_compare():
    # given an error raised with an enum member
    error = Conflict("x", code=ReportErrorCode.REPORT_CHANGED)
    # then it compares and serialises as the plain string
    assert error.code == "report_changed"
    assert f"{error.code}" == "report_changed"
    assert LaporError("x").code == "error"


def test_a_code_outside_the_lists_is_caught(tmp_path):
    # given a source raising a free-form code
    tree = ast.parse('raise ValidationFailed("x", code="made_up_code")')
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call))
    value = next(k.value for k in call.keywords if k.arg == "code")
    # then the check names it
    assert _unlisted(value, set(error_codes.all_error_codes()), {}) == "'made_up_code'"


@pytest.mark.parametrize("field", ["reason", "question", "message", "note"])
def test_the_text_length_codes_are_listed(field):
    assert ReportErrorCode(f"{field}_required") == f"{field}_required"
