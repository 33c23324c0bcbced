"""Full-text search on a report's title and body: the one search of the public list and the
officers' queues.

- **PostgreSQL**: ``to_tsvector('simple', title || ' ' || body)`` against
  ``websearch_to_tsquery``, answered by the GIN index of migration 0002.
- **SQLite** (the embedded default): an FTS5 table ``reports_report_fts`` over the same two
  columns, kept up to date by triggers (migration 0004), queried with ``MATCH``.

Both understand the same small web-search language: words (all must occur), ``"a phrase"``,
``-word`` (must not occur) and ``or`` between words. On SQLite the user's text is never handed to
FTS5 as syntax: it is parsed here and every word goes into the ``MATCH`` expression as a quoted
string, so input such as ``"``, ``AND``, ``*``, ``-`` or ``NEAR(`` cannot cause a syntax error.
Text without a single letter or digit is no search at all (the list is not narrowed).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from lapor.reports.models import Report

FTS_TABLE = "reports_report_fts"
MAX_TERMS = 16  # a longer query is cut: no one types more, and each term costs a lookup
# A word as FTS5's unicode61 tokenizer sees it: letters and digits (underscore separates).
WORD = re.compile(r"[^\W_]+")
# A quoted phrase, perhaps negated (the closing quote may be missing), or a run of non-space
# characters.
PIECE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """One word or phrase of the query, as the words FTS5 will compare."""

    words: tuple[str, ...]

    def fts5(self) -> str:
        # Every word a quoted FTS5 string (inner quotes doubled, though WORD admits none);
        # several words are a phrase: they must stand next to each other, in this order.
        return '"' + " ".join(w.replace('"', '""') for w in self.words) + '"'


@dataclass(frozen=True)
class Group:
    """Terms that must all occur (``all_of``) and terms that must not (``none_of``)."""

    all_of: list[Term] = field(default_factory=list)
    none_of: list[Term] = field(default_factory=list)

    def fts5(self) -> str:
        """The group as one FTS5 expression (it needs at least one term in ``all_of``)."""
        expression = "(" + " AND ".join(t.fts5() for t in self.all_of) + ")"
        if self.none_of:
            expression = f"({expression} NOT {_any(self.none_of)})"
        return expression


def _any(terms: list[Term]) -> str:
    return "(" + " OR ".join(t.fts5() for t in terms) + ")"


@dataclass(frozen=True)
class Parsed:
    """Groups joined by OR: a report matches if it matches one of them."""

    groups: list[Group] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def _pieces(text: str) -> list[tuple[str, Term | None]]:
    """The text as ("term" | "-term" | "or" | "-", Term or None), in order."""
    pieces: list[tuple[str, Term | None]] = []
    for match in PIECE.finditer(text):
        minus, phrase, raw = match.group(1) or "", match.group(2), match.group(3)
        if raw is not None:
            if raw.lower() == "or":
                pieces.append(("or", Term(("or",))))
                continue
            if raw == "-":
                pieces.append(("-", None))
                continue
            if raw.startswith("-"):
                minus, raw = "-", raw[1:]
            # A word glued to a quote (kata"lain) is read as its words, like any other.
            phrase = raw
        words = tuple(w.lower() for w in WORD.findall(phrase))
        if words:
            pieces.append((minus + "term", Term(words)))
    return pieces


def parse(text: str) -> Parsed:
    """The web-search reading of ``text``, as PostgreSQL's ``websearch_to_tsquery`` reads it:
    words, "phrases", ``-word`` or ``- word`` (must not occur), and ``or`` between two terms (at
    the start or end, or doubled, "or" is a word)."""
    pieces = _pieces(text)
    groups: list[Group] = [Group()]
    count = 0
    negate_next = False
    previous = ""
    for i, (kind, term) in enumerate(pieces):
        if count >= MAX_TERMS:
            break
        if kind == "-":
            negate_next = True
            continue
        if kind == "or":
            following = any(k != "-" for k, _ in pieces[i + 1 :])
            if previous in ("term", "-term") and following and not negate_next:
                groups.append(Group())
                previous = "or"
                continue
            kind = "term"  # "or" where no operator can stand is the word "or"
        assert term is not None
        count += 1
        negated = kind == "-term" or negate_next
        negate_next = False
        (groups[-1].none_of if negated else groups[-1].all_of).append(term)
        previous = kind
    return Parsed(groups=[g for g in groups if g.all_of or g.none_of])


def fts5_query(groups: list[Group]) -> str:
    """One FTS5 ``MATCH`` expression for the groups that name a term to look for."""
    return " OR ".join(group.fts5() for group in groups if group.all_of)


def _sqlite(qs: QuerySet[Report], parsed: Parsed) -> QuerySet[Report]:
    # Constant SQL; the expression built from the user's text is a bound parameter.
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    conditions = []
    if any(group.all_of for group in parsed.groups):
        conditions.append(Q(pk__in=RawSQL(sql, [fts5_query(parsed.groups)])))  # noqa: S611
    for group in parsed.groups:
        if not group.all_of:  # only exclusions: FTS5 cannot say "not x" on its own
            conditions.append(~Q(pk__in=RawSQL(sql, [_any(group.none_of)])))  # noqa: S611
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return qs.filter(condition)


def _postgresql(qs: QuerySet[Report], text: str) -> QuerySet[Report]:
    from django.contrib.postgres.search import SearchQuery, SearchVector

    # Exactly the expression of the GIN index (migration 0002), so the planner can use it.
    vector = SearchVector("title", "body", config="simple")
    query = SearchQuery(text, config="simple", search_type="websearch")
    return qs.annotate(search=vector).filter(search=query)


def search_reports(qs: QuerySet[Report], text: str) -> QuerySet[Report]:
    """``qs`` narrowed to the reports whose title or body matches ``text``."""
    text = text.strip()
    parsed = parse(text)
    if parsed.is_empty:
        return qs
    if connection.vendor == "postgresql":
        return _postgresql(qs, text)
    if connection.vendor == "sqlite":
        return _sqlite(qs, parsed)
    raise NotImplementedError(f"no full-text search on {connection.vendor}")


TRIGGERS = {f"{FTS_TABLE}_ai", f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au"}


def repair_sqlite_index(using: str = DEFAULT_DB_ALIAS, **_: Any) -> bool:
    """Put the FTS5 triggers back if they are gone, and re-index; ``True`` if it had to.

    SQLite drops a table's triggers with the table, and Django's SQLite schema editor changes a
    column by copying ``reports_report`` into a new table: after such a migration the index
    would silently go stale. Run after every ``migrate`` (``ReportsConfig.ready``)."""
    db = connections[using]
    if db.vendor != "sqlite":
        return False
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT type, name FROM sqlite_master WHERE name = %s OR type = 'trigger'",
            [FTS_TABLE],
        )
        rows = cursor.fetchall()
        if ("table", FTS_TABLE) not in rows:
            return False  # migration 0004 is not applied: nothing to keep up
        if {name for kind, name in rows if kind == "trigger"} >= TRIGGERS:
            return False
        migration = importlib.import_module("lapor.reports.migrations.0004_sqlite_fts5")
        for statement in migration.CREATE:  # every statement is idempotent, then "rebuild"
            cursor.execute(statement)
    return True
