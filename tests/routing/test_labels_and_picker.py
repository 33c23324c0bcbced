"""History labels land on the real agency tree (the province's dinas, badan and biro, its
vertical offices, an operator's alias file); the back office offers and preselects what the
router suggests, and finds units by the words officers type."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lapor.agencies.models import Agency
from lapor.backoffice import agency_picker
from lapor.reports.services import report_send_to_triage
from lapor.routing.labels import LabelIndex
from lapor.routing.models import LabelAlias, TrainingExample
from tests.backoffice.conftest import sign_in
from tests.factories import national_admin, submit

pytestmark = pytest.mark.usefixtures("country")


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("DISDIKBUD", "pemprov-33-disdik"),
        ("DISPERMADES DUKCAPIL", "pemprov-33-disdukcapil"),
        ("BADAN KEPEGAWAIAN DAERAH", "pemprov-33-bkd"),
        ("BADAN PENANGGULANGAN BENCANA DAERAH (BPBD)", "pemprov-33-bpbd"),  # not Aceh's
        ("DINAS KESEHATAN", "pemprov-33-dinkes"),
        ("DPU BINMAR CIPKA", "pemprov-33-pu-binamarga"),
        ("Kepolisian Daerah Jawa Tengah", "polri-polda-33"),
        ("Kanwil BPN Provinsi Jawa Tengah", "atr-bpn-kanwil-33"),
        ("Kanwil KemenkumHAM Provinsi Jawa Tengah", "kemenkum-kanwil-33"),
        ("Kota Semarang", "pemkot-3374"),
        ("PLN Distribusi JatengDIY", "pln"),
    ],
)
def test_provincial_labels_map_onto_the_province_s_units(label, code):
    assert LabelIndex("33").match(label) == code
    agency = Agency.objects.get(code=code)
    assert agency.accepts_reports and agency.is_active


def test_a_label_without_province_context_stays_unmatched():
    # "Dinas Kesehatan" alone names no agency until the province is known
    assert LabelIndex().match("DINAS KESEHATAN") is None


def _history(path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = ["text,label,region_code,date"]
    lines += [f"{text},{label},33,2018-02-0{i % 9 + 1}" for i, (text, label) in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_prints_the_mapping_and_takes_an_alias_file(tmp_path):
    # Given history with provincial labels and one the tree cannot know
    rows = [("sekolah rusak", "DISDIKBUD")] * 3 + [("pungli di jalan", "TIM SABER PUNGLI")]
    path = _history(tmp_path / "h.csv", rows)
    out = StringIO()
    call_command("routing_import_history", str(path), stdout=out)
    report = out.getvalue()
    # Then the report names each label, its agency, its rows and how it was matched
    assert "DISDIKBUD → pemprov-33-disdik (3 baris, nama di provinsi)" in report
    assert "TIM SABER PUNGLI → impor-tim-saber-pungli (1 baris, impor)" in report
    assert "3 dari 4 baris (75.0%) cocok" in report
    assert "sekolah rusak" not in report and "pungli di jalan" not in report  # no texts
    # When the operator gives an alias file for the rest and imports again
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("label,agency_code\nTIM SABER PUNGLI,pemprov-33-inspektorat\n")
    out = StringIO()
    call_command("routing_import_history", str(path), "--aliases", str(aliases), stdout=out)
    # Then the rows already stored are mapped again, nothing is added twice
    assert "1 baris dipetakan ulang" in out.getvalue()
    assert "4 dari 4 baris (100.0%) cocok" in out.getvalue()
    assert TrainingExample.objects.count() == 4
    assert set(TrainingExample.objects.values_list("agency__code", flat=True)) == {
        "pemprov-33-disdik",
        "pemprov-33-inspektorat",
    }
    assert LabelAlias.objects.get().agency.code == "pemprov-33-inspektorat"
    # the unknown label had become an imported agency that never receives reports
    imported = Agency.objects.get(code="impor-tim-saber-pungli")
    assert imported.kind == Agency.Kind.IMPORTED and imported.parent.code == "impor"
    assert not imported.accepts_reports


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("TIM SABER PUNGLI,tidak-ada\n", "kode 'tidak-ada'"),
        ("TIM SABER PUNGLI\n", "Baris 1 berkas alias"),
        ("Lapor SP4N,impor\n", "kode 'impor'"),  # the imported node receives no reports
    ],
)
def test_a_wrong_alias_file_is_refused_with_its_line(tmp_path, content, says):
    path = _history(tmp_path / "h.csv", [("sekolah rusak", "DISDIKBUD")])
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(content)
    with pytest.raises(CommandError, match=says):
        call_command("routing_import_history", str(path), "--aliases", str(aliases))
    assert not TrainingExample.objects.exists()


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("PUPR Semarang", "pemkot-3374-pupr"),
        ("dukcapil demak", "pemkab-3321-disdukcapil"),
        ("Dinas PUPR Kota Semarang", "pemkot-3374-pupr"),
        ("polda jateng", "polri-polda-33"),
    ],
)
def test_the_picker_finds_units_by_the_words_officers_type(query, code):
    picker = agency_picker.pick(query)
    assert code in [c for c, _ in picker.options]
    assert agency_picker.chosen_agency(code, "to_agency").code == code


def test_the_full_list_keeps_to_agencies_and_the_chosen_unit():
    picker = agency_picker.pick(show_all=True, chosen="pemkot-3374-pupr")
    codes = {c for c, _ in picker.options}
    assert "pemkot-3374-pupr" in codes and "pemkot-3374" in codes
    assert "pemkab-3321-disdukcapil" not in codes  # units are found by a search


def test_the_best_suggestion_that_can_be_disposed_to_is_preselected(client):
    # Given a report in triage whose routing put an imported history label first
    report = submit().report
    suggestions = [
        {"agency": "impor-dinas-lama", "name": "DINAS LAMA", "confidence": 0.81},
        {"agency": "pemkot-3374-pupr", "name": "Dinas PUPR Kota Semarang", "confidence": 0.78},
        {"agency": "pemkot-3374", "name": "Pemerintah Kota Semarang", "confidence": 0.4},
    ]
    report_send_to_triage(report=report, data={"routing": {"suggestions": suggestions}})
    sign_in(client, national_admin())
    # When the national admin opens it
    html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    select = html.split('<select id="dispose-agency"')[1].split("</select>")[0]
    # Then the unit routing named is offered and preselected
    selected = re.findall(r'<option value="([^"]+)"[^>]*selected', select)
    assert selected == ["pemkot-3374-pupr"]
    assert 'value="impor-dinas-lama"' not in select
    # And disposing to it works
    client.post(f"/kantor/laporan/{report.tracking_id}/dispose/", {"to_agency": "pemkot-3374-pupr"})
    report.refresh_from_db()
    assert report.agency is not None and report.agency.code == "pemkot-3374-pupr"


def test_a_history_without_region_codes_takes_the_province_its_labels_name(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(
        "text,label,date\n"
        "jalan rusak,Kota Semarang,2018-02-01\n"
        "sekolah rusak,DISDIKBUD,2018-02-02\n"
        "ktp lama,Kepolisian Daerah Jawa Tengah,2018-02-03\n"
    )
    out = StringIO()
    call_command("routing_import_history", str(path), stdout=out)
    assert "DISDIKBUD → pemprov-33-disdik (1 baris, nama di provinsi)" in out.getvalue()
