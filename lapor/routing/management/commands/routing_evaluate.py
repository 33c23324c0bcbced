from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.routing import evaluation
from lapor.routing.history import (
    Example,
    HistoryRefused,
    labels_province,
    parse_when,
    read_rows,
)
from lapor.routing.labels import LabelIndex, agency_for_label


class Command(BaseCommand):
    help = (
        "Nilai perutean pada berkas CSV (text,label,...) tanpa belajar darinya; dengan "
        "--rolling: latih pada periode sampai t, nilai pada periode t+1, untuk setiap t."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--without-region",
            action="store_true",
            help="abaikan kolom region_code (bila kolom itu berisi tujuan, bukan lokasi)",
        )
        parser.add_argument(
            "--rolling",
            action="store_true",
            help="evaluasi titik asal bergulir (model dilatih ulang per lipatan, tidak disimpan)",
        )
        parser.add_argument(
            "--period",
            choices=evaluation.PERIODS,
            default="month",
            help="panjang periode: month (bulan), half (setengah bulan), week (minggu ISO; "
            "irama pelatihan ulang produk)",
        )
        parser.add_argument(
            "--min-learn",
            type=int,
            default=evaluation.MIN_LEARN,
            help=f"lipatan dengan data latih kurang dari ini tidak dinilai "
            f"(bawaan {evaluation.MIN_LEARN})",
        )
        parser.add_argument(
            "--holdout",
            type=int,
            default=1,
            help="jumlah periode terbaru yang disimpan sampai akhir (bawaan 1)",
        )
        parser.add_argument(
            "--final", action="store_true", help="nilai juga periode yang disimpan sampai akhir"
        )
        parser.add_argument(
            "--half-life",
            type=float,
            default=None,
            help="bobot keterbaruan: paruh umur dalam hari (bawaan: seperti routing train)",
        )
        parser.add_argument(
            "--no-baseline", action="store_true", help="tanpa pembanding TF-IDF + regresi logistik"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        try:
            rows = read_rows(path)
        except HistoryRefused as exc:
            raise CommandError(str(exc)) from None
        use_region = not options["without_region"]
        if options["rolling"]:
            evaluation.without_writing(lambda: self._rolling(rows, use_region, options))
            return
        index = LabelIndex(labels_province(rows))
        examples = [
            Example(
                r["text"],
                index.code_for(r["label"].strip()),
                parse_when(r.get("date", "")),
                (r.get("region_code") or "").strip() or None,
            )
            for r in rows
        ]
        from lapor.routing.classifier import current
        from lapor.routing.router import auto_dispose_at, route

        model = current()
        predictions = []
        for e in examples:
            routing = route(
                title="",
                body=e.text,
                region_code=e.region if use_region else None,
                model=model,
                any_agency=True,
            )
            predictions.append(
                evaluation.Prediction(
                    [s.agency for s in routing.suggestions],
                    routing.best.confidence if routing.best else 0.0,
                    routing.confident,  # the service's own decision
                )
            )
        result = evaluation.metrics(
            [e.agency for e in examples], predictions, auto_dispose_at(model=model is not None)
        )
        self.stdout.write(result.line())

    def _rolling(self, rows: list[dict[str, str]], use_region: bool, options: Any) -> None:
        index = LabelIndex(labels_province(rows))
        codes: dict[str, str] = {}
        examples = []
        for r in rows:
            label = r["label"].strip()
            if label not in codes:
                codes[label] = agency_for_label(label, index).code
            examples.append(
                Example(
                    r["text"],
                    codes[label],
                    parse_when(r.get("date", "")),
                    (r.get("region_code") or "").strip() or None,
                )
            )
        from lapor.routing.training import DEFAULT_HALF_LIFE_DAYS

        half_life = options["half_life"]
        methods: dict[str, evaluation.Method] = {
            "router": evaluation.router_method(
                use_region=use_region,
                half_life_days=DEFAULT_HALF_LIFE_DAYS if half_life is None else half_life,
            )
        }
        if not options["no_baseline"]:
            methods["baseline"] = evaluation.baseline
        outcomes = evaluation.evaluate(
            examples,
            methods,
            period=options["period"],
            holdout=options["holdout"],
            final=options["final"],
            min_learn=options["min_learn"],
            progress=self.stdout.write,
        )
        if not outcomes["router"].per_fold:
            raise CommandError(
                "Tidak ada lipatan untuk dinilai: perlu paling sedikit dua periode bertanggal "
                "di luar periode yang disimpan sampai akhir, dan paling sedikit "
                f"{options['min_learn']} laporan latih sebelum periode yang dinilai "
                "(--min-learn)."
            )
        for name in reversed(list(outcomes)):
            outcome = outcomes[name]
            worst = outcome.worst()
            agency = outcome.worst_agency()
            self.stdout.write(f"metode={name} rerata {outcome.mean().line()}")
            if worst is not None:
                self.stdout.write(
                    f"metode={name} terburuk nilai={worst[0].judged} {worst[1].line()}"
                )
            if agency is not None:
                self.stdout.write(
                    f"metode={name} instansi_terburuk={agency[0]} recall={agency[1]:.3f} "
                    f"n={agency[2]}"
                )
        self.stdout.write(outcomes["router"].mean().line())
