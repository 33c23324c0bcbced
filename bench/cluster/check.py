"""After the load and the drain: the load generator's log, the sinks' logs and the database,
compared. Run with a host's settings (``DATABASE_URL`` of the primary):

    check.py STATE_DIR            (prints the table; exit status 1 when anything was lost)

- every submission answered with success is stored exactly once, under the tracking id the
  client was given, with its partner ``external_id`` and its events (``seq`` 1..``version``
  with no gap, the first one ``submit``); no report of the partner without a success answer,
  no two reports for one ``external_id``;
- every officer action answered with success is an event of its report (at that version);
- jobs: none lost (each SUCCESSFUL, or still READY/RUNNING); FAILED ones listed; every report
  routed or with a routing job still waiting;
- notifications: each SENT one received by the SMTP / SMS sink; the rest PENDING or SENDING
  (still queued); FAILED ones counted as lost;
- webhooks: each DELIVERED one received (``webhook-id``) with a valid signature; the rest
  queued; ABANDONED counted as lost;
- ``lapor audit verify``: intact.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TAIL = 15.0  # seconds after a fault's end still counted in its window (clients' retries)


def lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def window_of(t: float, faults: list[dict]) -> str:
    for fault in faults:
        if fault["start"] - 1 <= t <= fault["end"] + TAIL:
            return fault["fault"]
    return "steady"


def main() -> int:
    state = Path(sys.argv[1])
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()
    from django.db.models import Count, Max, Min
    from django_tasks_db.models import DBTaskResult

    from lapor.api.models import Partner
    from lapor.api.partner.records import PartnerReport
    from lapor.api.webhooks.models import WebhookDelivery
    from lapor.notifications.models import Notification
    from lapor.reports.models import Report, ReportEvent

    logs = state / "logs"
    load = lines(logs / "load.jsonl")
    faults = lines(logs / "faults.jsonl")
    attempts = [r for r in load if r.get("kind") in ("submit", "officer", "officer_read", "read")
                and "status" in r]  # fmt: skip
    problems: list[str] = []

    # --- the client's view, per fault window ------------------------------------------------
    windows = ["steady", *[f["fault"] for f in faults]]
    table: dict[str, collections.Counter] = {w: collections.Counter() for w in windows}
    # A submission's failed attempts all count in the window of its first failure (the fault
    # that caused them), however long its retries lasted; the rest by their own time.
    first_failure: dict[str, float] = {}
    first_attempt: dict[str, float] = {}
    for row in attempts:
        if row["kind"] == "submit":
            first_attempt.setdefault(row["external_id"], row["t"])
            if not row["ok"]:
                first_failure.setdefault(row["external_id"], row["t"])
    recovery: dict[str, list[float]] = collections.defaultdict(list)
    for row in attempts:
        kind = "officer" if row["kind"].startswith("officer") else row["kind"]
        own = window_of(row["t"], faults)
        table[own][f"{kind} requests"] += 1
        if row["ok"]:
            table[own][f"{kind} ok"] += 1
            if kind == "submit" and row["external_id"] in first_failure:
                cause = window_of(first_failure[row["external_id"]], faults)
                recovery[cause].append(row["t"] - first_attempt[row["external_id"]])
            continue
        w = window_of(first_failure[row["external_id"]], faults) if kind == "submit" else own
        table[w][f"{kind} errors"] += 1
        error = " ".join(str(row.get("error", "")).split())[:40]
        table[w][f"error {kind} {row['status']} {error}"] += 1
        fault = next((f for f in faults if f["fault"] == w), None)
        if fault is not None:  # when, from the fault's start, the client saw it
            table[w]["first"] = min(table[w]["first"] or 10**9, int(row["t"] - fault["start"]))
            table[w]["last"] = max(table[w]["last"], int(row["t"] - fault["start"]))

    # --- submissions -----------------------------------------------------------------------
    answered: dict[str, set[str]] = collections.defaultdict(set)
    for row in load:
        if row.get("kind") == "submit" and row.get("ok"):
            answered[row["external_id"]].add(row["tracking_id"])
    offered = {r["external_id"] for r in load if r.get("kind") == "submit"}
    gave_up = {r["external_id"] for r in load if r.get("gave_up")}
    for external_id, tids in answered.items():
        if len(tids) > 1:
            problems.append(f"{external_id}: answered with {len(tids)} tracking ids {tids}")
    partner = Partner.objects.get(code="cluster")
    stored = {
        pr.external_id: pr
        for pr in PartnerReport.objects.filter(partner=partner).select_related("report")
    }
    partner_reports = Report.objects.filter(channel=Report.Channel.PARTNER)
    unmapped = partner_reports.exclude(partner_origin__isnull=False).count()
    lost = [e for e in answered if e not in stored]
    wrong_id = [
        e for e, t in answered.items() if e in stored and stored[e].report.tracking_id not in t
    ]
    unanswered = [e for e in stored if e not in answered]
    ids = [stored[e].report_id for e in answered if e in stored]
    events = {
        row["report"]: row
        for row in ReportEvent.objects.filter(report__in=ids)
        .values("report")
        .annotate(n=Count("id"), low=Min("seq"), high=Max("seq"))
    }
    firsts = dict(ReportEvent.objects.filter(report__in=ids, seq=1).values_list("report", "action"))
    bad_events = [
        pk for pk in ids
        if pk not in events or events[pk]["low"] != 1 or events[pk]["n"] != events[pk]["high"]
        or firsts.get(pk) != "submit"
    ]  # fmt: skip
    versions = dict(Report.objects.filter(pk__in=ids).values_list("pk", "event_count"))
    bad_events += [pk for pk in ids if pk in events and versions.get(pk) != events[pk]["n"]]
    for name, found in (("lost (success answered, not stored)", lost),
                        ("stored under another tracking id", wrong_id),
                        ("reports without their events", bad_events)):  # fmt: skip
        if found:
            problems.append(f"{name}: {len(found)}, e.g. {found[:5]}")

    # --- officer actions ---------------------------------------------------------------------
    actions = [r for r in load if r.get("kind") == "officer" and r.get("ok")]
    have = set(
        ReportEvent.objects.filter(
            report__tracking_id__in={r["tracking_id"] for r in actions}
        ).values_list("report__tracking_id", "seq", "action")
    )
    seen = {(tid, seq) for tid, seq, _action in have}
    missing_actions = [r for r in actions if (r["tracking_id"], r["version"]) not in seen]
    if missing_actions:
        problems.append(f"officer actions answered but not stored: {len(missing_actions)}")

    # --- jobs --------------------------------------------------------------------------------
    jobs = collections.Counter(DBTaskResult.objects.values_list("status", flat=True))
    failed = collections.Counter(
        DBTaskResult.objects.filter(status="FAILED").values_list("task_path",
                                                                 "exception_class_path")
    )  # fmt: skip
    killed = [f for f in faults if f["fault"] == "kill_worker" and f.get("job")]
    killed_job = (
        DBTaskResult.objects.filter(pk=killed[0]["job"]).values("status", "worker_ids").first()
        if killed else None
    )  # fmt: skip
    submitted = Report.objects.filter(status="submitted").values_list("pk", flat=True)
    waiting = {
        json.dumps(args.get("args", [None])[0])
        for args in DBTaskResult.objects.filter(
            status__in=["READY", "RUNNING"], task_path__endswith="route_report"
        ).values_list("args_kwargs", flat=True)
    }
    unrouted = [pk for pk in submitted if json.dumps(pk) not in waiting]
    if failed:
        problems.append(f"jobs FAILED: {dict(failed)}")
        for path, exception, traceback in DBTaskResult.objects.filter(status="FAILED").values_list(
            "task_path", "exception_class_path", "traceback"
        )[:5]:
            last = (traceback.strip().splitlines() or [""])[-1]
            print(f"FAILED job {path}: {exception}: {last[:200]}")
    if unrouted:
        problems.append(f"reports still submitted with no routing job waiting: {len(unrouted)}")

    # --- notifications -------------------------------------------------------------------------
    notes = collections.Counter(Notification.objects.values_list("channel", "status"))
    mail = collections.Counter((r["to"], r["subject"]) for r in lines(logs / "mail.jsonl"))
    sms = collections.Counter((r["to"], r["message"]) for r in lines(logs / "sms.jsonl"))
    sent_mail = collections.Counter(
        Notification.objects.filter(status="sent", channel="email").values_list("recipient",
                                                                              "subject")
    )  # fmt: skip
    sent_sms = collections.Counter(
        Notification.objects.filter(status="sent", channel="sms").values_list("recipient", "body")
    )
    mail_missing = sum((sent_mail - mail).values())
    sms_missing = sum((sent_sms - sms).values())
    mail_repeats = sum((mail - sent_mail).values())
    sms_repeats = sum((sms - sent_sms).values())
    notes_failed = sum(n for (_c, s), n in notes.items() if s == "failed")
    if mail_missing or sms_missing or notes_failed:
        problems.append(f"notifications lost: {mail_missing} e-mails and {sms_missing} SMS "
                        f"marked sent but never received, {notes_failed} FAILED")  # fmt: skip

    # --- webhooks ----------------------------------------------------------------------------
    hooks = collections.Counter(WebhookDelivery.objects.values_list("status", flat=True))
    received = lines(logs / "webhooks.jsonl")
    valid = {r["webhook_id"] for r in received if r["valid"]}
    invalid = sum(not r["valid"] for r in received)
    repeats = sum(r["valid"] for r in received) - len(valid)
    delivered = set(
        WebhookDelivery.objects.filter(status="delivered").values_list("webhook_id", flat=True)
    )
    hooks_missing = len(delivered - valid)
    if hooks_missing or hooks.get("abandoned") or invalid:
        problems.append(
            f"webhooks: {hooks_missing} delivered but not received, "
            f"{hooks.get('abandoned', 0)} abandoned, {invalid} bad signatures"
        )

    # --- the audit trail ---------------------------------------------------------------------
    audit = subprocess.run([str(ROOT / ".venv/bin/lapor"), "audit", "verify"], cwd=ROOT,
                           capture_output=True, text=True)  # fmt: skip
    audit_line = (audit.stdout.strip().splitlines() or [audit.stderr.strip()])[-1]
    if audit.returncode:
        problems.append(f"audit verify: {audit_line}")

    # --- the table -----------------------------------------------------------------------------
    kinds = ("submit", "officer", "read")
    print(f"\n{'window':18s}" + "".join(f"{k + ' req/ok/err':>22s}" for k in kinds))
    totals = collections.Counter()
    for w in windows:
        c = table[w]
        totals.update(c)
        print(f"{w:18s}" + "".join(
            f"{c[k + ' requests']:>10d}/{c[k + ' ok']:>5d}/{c[k + ' errors']:>5d}" for k in kinds
        ))  # fmt: skip
    print(f"{'total':18s}" + "".join(
        f"{totals[k + ' requests']:>10d}/{totals[k + ' ok']:>5d}/{totals[k + ' errors']:>5d}"
        for k in kinds
    ))  # fmt: skip
    print("\nerrors the client saw, by the window that caused them (s after the fault began):")
    for w in windows:
        shown = {k[6:]: n for k, n in table[w].items() if k.startswith("error ")}
        if shown:
            when = f" [{table[w]['first']}-{table[w]['last']} s]" if w != "steady" else ""
            print(f"  {w}{when}: " + "; ".join(f"{k} x{n}" for k, n in sorted(shown.items())))
    print("submissions that met an error, seconds from first attempt to success:")
    for w, took in recovery.items():
        took.sort()
        print(f"  {w}: {len(took)} submissions, min {took[0]:.1f} / median "
              f"{took[len(took) // 2]:.1f} / max {took[-1]:.1f} s")  # fmt: skip
    print(
        f"\nsubmissions: {len(offered)} offered, {len(answered)} answered with success, "
        f"{len(gave_up)} given up by the client; reports of the partner stored "
        f"{len(stored)} (+{unmapped} without their external id); duplicates "
        f"{partner_reports.count() - len(set(stored))}; stored but never answered "
        f"{len(unanswered)}; lost {len(lost)}"
    )
    print(f"officer actions: {len(actions)} answered with success, {len(missing_actions)} "
          "not stored")  # fmt: skip
    print(f"jobs: {dict(jobs)}; the job of the killed worker: {killed_job}")
    print(f"reports still submitted: {len(submitted)} ({len(unrouted)} with no routing job)")
    print(f"notifications: {dict(sorted(notes.items()))}; sink received {sum(mail.values())} "
          f"e-mails, {sum(sms.values())} SMS; sent but not received: {mail_missing} e-mails, "
          f"{sms_missing} SMS; received twice (at least once): {mail_repeats} e-mails, "
          f"{sms_repeats} SMS")  # fmt: skip
    print(f"webhooks: {dict(hooks)}; receiver: {len(valid)} distinct, {repeats} repeats, "
          f"{invalid} bad signatures; delivered but not received: {hooks_missing}")  # fmt: skip
    print(f"lapor audit verify: {audit_line}")
    print("\nRESULT: " + ("nothing lost or duplicated" if not problems else "PROBLEMS"))
    for problem in problems:
        print(f"  - {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
