from typing import Any

from django.db import migrations

# The per-scope rows the ranking, the index trend, the home page and the policy report read
# (``facts.scope_keys``): each agency's flows by month (nationally and per province) and its
# backlog now, and first answers per category and place.
NEW_DIMS = ("agency", "cat_place")


def add_scope_rows(apps: Any, schema_editor: Any) -> None:
    """Sum the counts already filled into the new per-scope rows. Those of these kinds first
    deleted: a database migrated from before 0004 in one go got them from 0004 already (it sums
    with the current ``scope_keys``), so the rows are made once either way."""
    from collections import Counter

    from lapor.analytics.facts import scope_keys

    daily = apps.get_model("analytics", "DailyCount")
    current = apps.get_model("analytics", "CurrentCount")
    scoped = apps.get_model("analytics", "ScopeCount")
    scoped.objects.filter(dim__in=NEW_DIMS).delete()
    dims = ("province", "kabkota", "agency", "category", "type", "channel", "metric", "bucket")
    out: Counter[Any] = Counter()
    public = daily.objects.exclude(province="")
    for row in public.values_list("day", *dims, "value").iterator(chunk_size=10_000):
        for key in scope_keys(row[:-1]):
            if key[3] in NEW_DIMS:
                out[key] += row[-1]
    public_now = current.objects.exclude(province="").exclude(agency=0)
    for row in public_now.values_list(*dims, "value").iterator(chunk_size=10_000):
        for key in scope_keys((None, *row[:-1])):
            if key[3] in NEW_DIMS:
                out[key] += row[-1]
    names = ("scope", "grain", "day", "dim", "key", "metric", "bucket")
    scoped.objects.bulk_create(
        [scoped(**dict(zip(names, k, strict=True)), value=v) for k, v in out.items() if v],
        batch_size=5_000,
    )


def drop_scope_rows(apps: Any, schema_editor: Any) -> None:
    apps.get_model("analytics", "ScopeCount").objects.filter(dim__in=NEW_DIMS).delete()


class Migration(migrations.Migration):
    dependencies = [("analytics", "0005_month_stock")]

    operations = [migrations.RunPython(add_scope_rows, drop_scope_rows)]
