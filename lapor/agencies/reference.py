"""Everything ``lapor reference load`` installs, in order, as one function."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from lapor.agencies.loader import load_agencies
from lapor.agencies.models import Agency
from lapor.categories.loader import load_categories, load_default_sla
from lapor.regions.loader import import_desa, import_kecamatan, load_regions
from lapor.regions.models import Region


@dataclass
class ReferenceSummary:
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, line: str) -> None:
        self.lines.append(line)


def load_reference(
    *, kecamatan_file: Path | None = None, desa_file: Path | None = None
) -> ReferenceSummary:
    """Regions, (kecamatan, desa/kelurahan,) categories, the default SLA policy and the
    agency tree. Desa/kelurahan need their kecamatan (loaded before, or in the same run); they
    get no office of their own in the agency tree.

    Each step is idempotent and bulk; a second run creates nothing. Raises
    ``lapor.regions.loader.ImportRefused`` when the kecamatan file is refused.
    """
    started = time.monotonic()
    summary = ReferenceSummary()
    regions = load_regions()
    summary.add(
        f"Wilayah: {regions.created} baru, {regions.updated} diperbarui, {regions.unchanged} tetap."
    )
    if kecamatan_file is not None:
        kec = import_kecamatan(kecamatan_file)
        summary.add(
            f"Kecamatan: {kec.created} baru, {kec.updated} diperbarui, {kec.unchanged} tetap."
        )
    if desa_file is not None:
        desa = import_desa(desa_file)
        summary.add(
            f"Desa/kelurahan: {desa.created} baru, {desa.updated} diperbarui, "
            f"{desa.unchanged} tetap."
        )
    categories = load_categories()
    summary.add(
        f"Kategori: {categories.created} baru, {categories.updated} diperbarui, "
        f"{categories.unchanged} tetap."
    )
    policy, created = load_default_sla()
    summary.add(
        f"Kebijakan SLA nasional v{policy.version}: {'dibuat' if created else 'sudah ada'} "
        f"({policy.verify_days}/{policy.followup_days}/{policy.autoclose_days} hari kerja, "
        f"selesai {policy.completion_days} hari)."
    )
    agencies = load_agencies()
    summary.add(
        f"Instansi: {agencies.created} baru, {agencies.updated} diperbarui, "
        f"{agencies.unchanged} tetap; {agencies.jurisdiction_links} tautan wilayah dan "
        f"{agencies.topic_links} tautan topik baru."
    )
    counts = {
        "provinsi": Region.objects.filter(level=Region.Level.PROVINSI).count(),
        "kab/kota": Region.objects.filter(level=Region.Level.KABUPATEN_KOTA).count(),
        "kecamatan": Region.objects.filter(level=Region.Level.KECAMATAN).count(),
        "desa/kelurahan": Region.objects.filter(level=Region.Level.DESA).count(),
        "instansi": Agency.objects.exclude(kind=Agency.Kind.UNIT).count(),
        "unit": Agency.objects.filter(kind=Agency.Kind.UNIT).count(),
    }
    summary.add("Jumlah sekarang: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".")
    summary.seconds = time.monotonic() - started
    return summary
