# The agency a citizen names (issue 16), and Indonesian labels for the admin (every field
# the admin shows; ``action`` repeats 0013's choices with its label).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_partner_role"),
        ("reports", "0013_photos"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="report",
            name="requested_agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="requested_reports",
                to="agencies.agency",
                verbose_name="instansi pilihan pelapor",
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="requested_decision",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="keputusan atas instansi pilihan"
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="answered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="dijawab"),
        ),
        migrations.AlterField(
            model_name="report",
            name="autoclose_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="ditutup otomatis pada"),
        ),
        migrations.AlterField(
            model_name="report",
            name="category",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports",
                to="categories.category",
                verbose_name="kategori",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="ditutup"),
        ),
        migrations.AlterField(
            model_name="report",
            name="completion_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="batas penyelesaian"),
        ),
        migrations.AlterField(
            model_name="report",
            name="disposed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="didisposisikan"),
        ),
        migrations.AlterField(
            model_name="report",
            name="escalate_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="dieskalasi pada"),
        ),
        migrations.AlterField(
            model_name="report",
            name="escalation_level",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="tingkat eskalasi"),
        ),
        migrations.AlterField(
            model_name="report",
            name="event_count",
            field=models.PositiveIntegerField(default=0, verbose_name="jumlah riwayat"),
        ),
        migrations.AlterField(
            model_name="report",
            name="followup_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="batas tindak lanjut"),
        ),
        migrations.AlterField(
            model_name="report",
            name="guest_secret_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="hash kode rahasia tamu"
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="hold_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="ditunda sampai"),
        ),
        migrations.AlterField(
            model_name="report",
            name="identity_erased_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="identitas dihapus pada"
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="last_event_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="hash riwayat terakhir"),
        ),
        migrations.AlterField(
            model_name="report",
            name="latitude",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="garis lintang"
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="longitude",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="garis bujur"
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="duplicates",
                to="reports.report",
                verbose_name="digabung ke",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="overdue_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="terlambat sejak"),
        ),
        migrations.AlterField(
            model_name="report",
            name="rated_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="dinilai"),
        ),
        migrations.AlterField(
            model_name="report",
            name="rating",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="nilai"),
        ),
        migrations.AlterField(
            model_name="report",
            name="region",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports",
                to="regions.region",
                verbose_name="wilayah",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="reopen_count",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="jumlah banding"),
        ),
        migrations.AlterField(
            model_name="report",
            name="reporter",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports",
                to=settings.AUTH_USER_MODEL,
                verbose_name="akun pelapor",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="sla_policy",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                to="categories.slapolicy",
                verbose_name="kebijakan SLA",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="status_before",
            field=models.CharField(
                blank=True,
                choices=[
                    ("submitted", "Diterima"),
                    ("triage", "Menunggu verifikasi nasional"),
                    ("disposed", "Didisposisikan ke instansi"),
                    ("in_progress", "Diproses unit kerja"),
                    ("on_hold", "Ditunda"),
                    ("awaiting_reporter", "Menunggu klarifikasi pelapor"),
                    ("answered", "Ditindaklanjuti"),
                    ("completed", "Selesai"),
                    ("closed", "Ditutup otomatis"),
                    ("archived", "Diarsipkan"),
                    ("merged", "Digabung dengan laporan lain"),
                ],
                max_length=20,
                verbose_name="status sebelum ditunda",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="support_count",
            field=models.PositiveIntegerField(default=0, verbose_name="jumlah dukungan"),
        ),
        migrations.AlterField(
            model_name="report",
            name="verify_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="batas verifikasi"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("submit", "Laporan dikirim"),
                    ("triage", "Dikirim ke verifikasi nasional"),
                    ("dispose", "Diverifikasi dan didisposisikan"),
                    ("dispose_unit", "Diteruskan ke unit kerja"),
                    ("hold", "Ditunda"),
                    ("resume", "Dilanjutkan"),
                    ("not_authority", "Bukan wewenang, dikembalikan ke verifikasi nasional"),
                    ("forward", "Bukan wewenang, diteruskan ke instansi lain"),
                    ("request_info", "Permintaan klarifikasi"),
                    ("reporter_reply", "Tanggapan pelapor"),
                    ("follow_up", "Tindak lanjut"),
                    ("complete", "Diselesaikan"),
                    ("auto_close", "Ditutup otomatis"),
                    ("rate", "Penilaian pelapor"),
                    ("reopen", "Dibuka kembali (banding)"),
                    ("archive", "Diarsipkan"),
                    ("merge", "Digabung sebagai duplikat"),
                    ("support", "Dukungan pelapor lain"),
                    ("note", "Catatan internal"),
                    ("change_category", "Kategori diubah"),
                    ("set_privacy", "Kerahasiaan diubah"),
                    ("mark_overdue", "Melewati batas waktu"),
                    ("escalate", "Eskalasi"),
                    ("view_confidential", "Laporan rahasia dibuka"),
                    ("privacy_consent", "Perlindungan dilepas atas persetujuan pelapor"),
                    ("erase_identity", "Identitas pelapor dihapus"),
                    ("claim_contact", "Laporan ditautkan ke akun pelapor"),
                    ("photo_visibility", "Tampilan foto di halaman publik diubah"),
                ],
                max_length=24,
                verbose_name="tindakan",
            ),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="pelaku",
            ),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="actor_role",
            field=models.CharField(blank=True, max_length=20, verbose_name="peran pelaku"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.agency",
                verbose_name="instansi",
            ),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="created_at",
            field=models.DateTimeField(verbose_name="waktu"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="data"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="day",
            field=models.DateField(verbose_name="hari"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="day_hash",
            field=models.CharField(max_length=64, verbose_name="hash harian"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="day_seq",
            field=models.PositiveIntegerField(verbose_name="urutan harian"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("submitted", "Diterima"),
                    ("triage", "Menunggu verifikasi nasional"),
                    ("disposed", "Didisposisikan ke instansi"),
                    ("in_progress", "Diproses unit kerja"),
                    ("on_hold", "Ditunda"),
                    ("awaiting_reporter", "Menunggu klarifikasi pelapor"),
                    ("answered", "Ditindaklanjuti"),
                    ("completed", "Selesai"),
                    ("closed", "Ditutup otomatis"),
                    ("archived", "Diarsipkan"),
                    ("merged", "Digabung dengan laporan lain"),
                ],
                max_length=20,
                verbose_name="status sebelum",
            ),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="hash",
            field=models.CharField(max_length=64, verbose_name="hash"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="is_internal",
            field=models.BooleanField(default=False, verbose_name="internal"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="prev_hash",
            field=models.CharField(max_length=64, verbose_name="hash sebelumnya"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="report",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="reports.report",
                verbose_name="laporan",
            ),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="seq",
            field=models.PositiveIntegerField(verbose_name="urutan"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="stripe",
            field=models.PositiveSmallIntegerField(db_default=0, default=0, verbose_name="lajur"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="to_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("submitted", "Diterima"),
                    ("triage", "Menunggu verifikasi nasional"),
                    ("disposed", "Didisposisikan ke instansi"),
                    ("in_progress", "Diproses unit kerja"),
                    ("on_hold", "Ditunda"),
                    ("awaiting_reporter", "Menunggu klarifikasi pelapor"),
                    ("answered", "Ditindaklanjuti"),
                    ("completed", "Selesai"),
                    ("closed", "Ditutup otomatis"),
                    ("archived", "Diarsipkan"),
                    ("merged", "Digabung dengan laporan lain"),
                ],
                max_length=20,
                verbose_name="status sesudah",
            ),
        ),
    ]
