"""Prometheus metrics (prometheus_client, ADR 0027): request counts and latencies measured in
every app-server process, and the system's state read from the database when scraped.

* ``lapor_http_request_duration_seconds{method,route,status}``: a histogram per URL pattern
  (the route, never the path: a tracking ID is not a label), method and status class.
* Gauges registered by the apps that own the state (``register_gauge`` in their
  ``AppConfig.ready``): queue depth and age, failed jobs, overdue reports, failing webhooks.
  They are read only when ``/metrics`` is scraped, each query bounded, and kept for
  ``GAUGE_SECONDS`` so several scrapers cost the database one round.

Several worker processes (granian ``--workers N``) share their counts through
``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode; docs/operations.md says how
to set and empty it). ``/metrics`` answers only with ``Authorization: Bearer <METRICS_TOKEN>``
and is 404 when ``METRICS_TOKEN`` is unset. No label ever holds a person, a report or a path.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

GAUGE_SECONDS = 15.0
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_SECONDS = Histogram(
    "lapor_http_request_duration_seconds",
    "Time from the first middleware to the response, by URL pattern, method and status class.",
    ["method", "route", "status"],
    buckets=BUCKETS,
)


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    read: Callable[[], float]


_gauges: dict[str, Gauge] = {}


def register_gauge(name: str, documentation: str, read: Callable[[], float]) -> None:
    """An app offers one number about its own state; ``read`` must be bounded in cost."""
    _gauges[name] = Gauge(name, documentation, read)


class _StateCollector(Collector):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: list[tuple[Gauge, float]] = []
        self._read_at = float("-inf")

    def forget(self) -> None:
        with self._lock:
            self._read_at = float("-inf")

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self._lock:
            if time.monotonic() - self._read_at >= GAUGE_SECONDS:
                self._values = [(gauge, float(gauge.read())) for gauge in _gauges.values()]
                self._read_at = time.monotonic()
            values = list(self._values)
        for gauge, value in values:
            yield GaugeMetricFamily(gauge.name, gauge.documentation, value=value)


state = _StateCollector()


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return "/" + match.route if match.route else (match.view_name or "unnamed")


class MetricsMiddleware:
    """First in MIDDLEWARE, so the time covers every other middleware too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        key = (method, route_of(request), f"{response.status_code // 100}xx")
        child = _children.get(key)
        if child is None:
            child = _children[key] = REQUEST_SECONDS.labels(*key)
        child.observe(time.perf_counter() - started)
        return response


# The histogram's child per label set, looked up without the library's lock on every request.
_children: dict[tuple[str, str, str], Any] = {}


def registry() -> CollectorRegistry:
    """This process's metrics, or every worker's when PROMETHEUS_MULTIPROC_DIR is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        combined = CollectorRegistry()
        MultiProcessCollector(combined)
    else:
        from prometheus_client import REGISTRY as combined
    return combined


def exposition() -> bytes:
    own = CollectorRegistry()
    own.register(state)
    return generate_latest(registry()) + generate_latest(own)


@require_safe
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    token = getattr(settings, "LAPOR_METRICS_TOKEN", "")
    if not token:
        raise Http404
    offered = request.headers.get("Authorization", "")
    if not hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        answer = HttpResponse("metrics need the bearer token\n", status=401)
        answer["WWW-Authenticate"] = "Bearer"
        return answer
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
