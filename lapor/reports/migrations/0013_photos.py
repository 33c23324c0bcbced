from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0012_action_claim_contact")]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="thumbnail",
            field=models.FileField(blank=True, default="", max_length=200, upload_to=""),
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
            ),
        ),
    ]
