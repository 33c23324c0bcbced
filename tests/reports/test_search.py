"""The one full-text search (``lapor.reports.search``): FTS5 on SQLite, the GIN-indexed tsvector on
PostgreSQL. Every test without a mark runs on both databases."""

from __future__ import annotations

import pytest
from django.db import connection

from lapor.reports.models import Report
from lapor.reports.search import FTS_TABLE, Group, Term, fts5_query, parse, repair_sqlite_index
from lapor.reports.search import search_reports as search
from tests.factories import submit

pytestmark = pytest.mark.django_db

# Text that is FTS5 (or tsquery) syntax, or half of it.
HOSTILE = [
    '"', '""', "AND", "OR", "NOT", "*", "-", "--", "(", ")", "NEAR(", "^", ":", "title:", "'",
    "a AND", "OR b", '"unclosed', "-*", "jalan*", "+", "{title}", "\\", "%", "_",
]  # fmt: skip


def _report(title: str, body: str = "Isi laporan yang cukup panjang untuk diuji.") -> Report:
    return submit(title=title, body=body).report


def _titles(text: str) -> set[str]:
    return set(search(Report.objects.all(), text).values_list("title", flat=True))


@pytest.fixture
def three() -> list[Report]:
    return [
        _report("Lampu jalan mati", "Lampu di jalan utama padam setiap malam minggu."),
        _report("Jalan berlubang", "Jalan utama berlubang dan tergenang air hujan."),
        _report("Sampah pasar", "Sampah di pasar Bintoro tidak diangkut sepekan."),
    ]


def test_words_must_all_occur_in_title_or_body(three):
    assert _titles("jalan") == {"Lampu jalan mati", "Jalan berlubang"}
    assert _titles("JALAN hujan") == {"Jalan berlubang"}  # one in the title, one in the body
    assert _titles("bintoro") == {"Sampah pasar"}
    assert _titles("kereta") == set()


def test_web_search_syntax_phrases_exclusions_and_or(three):
    assert _titles("jalan -lampu") == {"Jalan berlubang"}
    assert _titles('"jalan utama berlubang"') == {"Jalan berlubang"}
    assert _titles('"utama jalan"') == set()  # a phrase keeps its order
    assert _titles("bintoro or hujan") == {"Sampah pasar", "Jalan berlubang"}
    assert _titles('-"jalan utama"') == {"Sampah pasar"}
    assert _titles("- lampu") == {"Jalan berlubang", "Sampah pasar"}
    # or between a word and an exclusion: either has the word, or lacks the other
    assert _titles("bintoro or -jalan") == {"Sampah pasar"}
    assert _titles("lampu or -sampah") == {"Lampu jalan mati", "Jalan berlubang"}
    assert _titles("jalan -hujan or sampah") == {"Lampu jalan mati", "Sampah pasar"}


@pytest.mark.parametrize("text", HOSTILE)
def test_any_input_searches_without_an_error(three, text):
    # Given text that would be FTS5 (or tsquery) syntax, the search still answers: the query
    # is evaluated, and text without letters or digits does not narrow the list
    found = _titles(text)
    if not any(ch.isalnum() for ch in text):
        assert found == {r.title for r in three}
    else:
        assert found <= {r.title for r in three}


def test_operators_typed_by_a_citizen_are_words_not_syntax():
    _report("Banjir AND longsor", "Desa kami terkena banjir dan longsor bersamaan.")
    _report("Banjir besar", "Air setinggi pinggang masuk ke rumah warga.")
    # "AND", "NOT" and "NEAR" are searched as words (a report containing "and" is found)
    assert _titles("banjir AND") == {"Banjir AND longsor"}
    assert _titles("NOT banjir") == set()
    assert _titles("near(banjir") == set()


def test_a_new_report_an_edit_and_a_deletion_reach_the_index(three):
    fresh = _report("Pungli di kelurahan", "Petugas meminta uang untuk surat pengantar.")
    assert _titles("pungli") == {"Pungli di kelurahan"}
    # an edit of the title and body (an officer's correction, an import) is found at once
    Report.objects.filter(pk=fresh.pk).update(
        title="Pungutan liar di kelurahan", body="Diminta uang untuk surat keterangan."
    )
    assert _titles("pungli") == set()
    assert _titles("pungutan keterangan") == {"Pungutan liar di kelurahan"}
    # a saved model too
    fresh.refresh_from_db()
    fresh.title = "Pungutan liar di kecamatan"
    fresh.save(update_fields=["title"])
    assert _titles("kecamatan") == {"Pungutan liar di kecamatan"}
    assert _titles("kelurahan") == set()
    # a deleted report is gone from the results (a report with a history cannot be deleted:
    # its append-only events protect it, so a copy without history is inserted and deleted)
    fresh.pk, fresh.tracking_id, fresh.title = None, "SALINAN00001", "Salinan tanpa riwayat"
    fresh.save(force_insert=True)
    assert _titles("salinan keterangan") == {"Salinan tanpa riwayat"}
    Report.objects.filter(pk=fresh.pk).delete()
    assert _titles("salinan") == set()
    assert _titles("pungutan") == {"Pungutan liar di kecamatan"}
    assert _titles("jalan") == {"Lampu jalan mati", "Jalan berlubang"}


def test_search_composes_with_other_filters(three):
    qs = Report.objects.filter(title__startswith="Lampu")
    assert list(search(qs, "jalan").values_list("title", flat=True)) == ["Lampu jalan mati"]
    assert search(qs, "jalan").count() == 1


def test_parse_reads_web_search_syntax_and_quotes_every_word():
    parsed = parse('lampu "jalan  raya" -mati or "unclosed AND')
    assert parsed.groups == [
        Group(all_of=[Term(("lampu",)), Term(("jalan", "raya"))], none_of=[Term(("mati",))]),
        Group(all_of=[Term(("unclosed", "and"))]),
    ]
    assert fts5_query(parsed.groups) == (
        '(("lampu" AND "jalan raya") NOT ("mati")) OR ("unclosed and")'
    )
    # as PostgreSQL's websearch_to_tsquery: "or" at either end or doubled is a word
    assert parse("or jalan or").groups == [
        Group(all_of=[Term(("or",)), Term(("jalan",)), Term(("or",))])
    ]
    assert parse("a or or b").groups == [
        Group(all_of=[Term(("a",))]),
        Group(all_of=[Term(("or",)), Term(("b",))]),
    ]
    assert parse("- a").groups == [Group(none_of=[Term(("a",))])]
    assert parse('" * - AND( ').groups == [Group(all_of=[Term(("and",))])]
    assert parse('" * - ( ').is_empty


def test_a_very_long_query_is_cut(three):
    words = " ".join(["jalan"] + [f"kata{n}" for n in range(40)])
    assert sum(len(g.all_of) for g in parse(words).groups) == 16
    assert _titles(words) == set()


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_answers_from_the_fts5_table(three):
    sql, params = search(Report.objects.all(), "jalan").query.sql_with_params()
    assert f"{FTS_TABLE} MATCH" in sql
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "VIRTUAL TABLE INDEX" in plan and FTS_TABLE in plan, plan


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_rebuilt_reports_table_gets_its_triggers_back(three):
    # Given a migration that rebuilt reports_report (SQLite drops the triggers with the table)
    with connection.cursor() as cursor:
        for name in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER {FTS_TABLE}_{name}")
    assert repair_sqlite_index() is True
    # Then the triggers and the index are back, and a second run has nothing to do
    assert repair_sqlite_index() is False
    _report("Trotoar rusak", "Trotoar di depan sekolah rusak parah.")
    assert _titles("trotoar") == {"Trotoar rusak"}
    assert _titles("jalan") == {"Lampu jalan mati", "Jalan berlubang"}


@pytest.mark.postgres
def test_fulltext_condition_is_answered_by_the_gin_index():
    # Given the planner may use neither a table scan nor a plain index walk (a test table is
    # tiny), only a bitmap scan of an index that matches the search condition remains
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = search(Report.objects.all(), "jalan rusak").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Then that index is the full-text GIN index over title and body
    assert "Bitmap Index Scan on report_fulltext_simple" in plan, plan
    assert repair_sqlite_index() is False  # nothing of SQLite's happens here
