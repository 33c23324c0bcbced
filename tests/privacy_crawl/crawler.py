"""A crawler of the public surfaces: what an anonymous visitor can fetch, found by itself.

Where it starts (``seed_urls``):

- every URL pattern of the URLconf, in each language: those without arguments as they are,
  the others filled with values the test knows (``Arguments``: every report's tracking ID,
  every agency code, every attachment id; a dummy for anything else), so a page added later is
  crawled without a change here — the back office (``/kantor/``) and the admin excepted;
- the extra surfaces given (search for each marker, feeds and API paths when there are any);

then every same-site link (``<a href>``, ``<link href>``, GET ``<form action>``, a JSON
answer's absolute URLs such as the API's ``next``) and redirect found on the way, up to
``limit`` pages. Each response, whatever its status, is handed to the test with its body and
headers.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import product
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import translation

# Not public, or not a page: the back office, the admin, static files, and links that act
# (sign out, switch language: POST only).
SKIP_PREFIXES = ("kantor/", "admin/", "static/", "media/", "i18n/")
SKIP_NAMES = frozenset({"logout", "set_language"})
JSON_LINK = re.compile(r'"(https?://testserver/[^"]*)"')
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its path template (``laporan/<str:tracking_id>/``) and name."""

    template: str
    name: str
    localized: bool  # under ``i18n_patterns``: one URL per language

    @property
    def params(self) -> list[tuple[str, str]]:
        return [(m["name"], m["converter"] or "str") for m in PARAM.finditer(self.template)]

    def fill(self, values: dict[str, str]) -> str:
        return "/" + PARAM.sub(lambda m: values[m["name"]], self.template)


def routes(
    patterns: Iterable[URLPattern | URLResolver] | None = None,
    prefix: str = "",
    localized: bool = False,
) -> Iterator[Route]:
    """Every URL pattern under the root URLconf (patterns without a name included). A regex
    pattern with groups is skipped: only the admin has them today."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = entry.pattern
        inner = localized
        if isinstance(pattern, LocalePrefixPattern):
            part, inner = "", True  # the language prefix is added per language
        elif isinstance(pattern, RoutePattern):
            part = str(pattern)
        elif isinstance(pattern, RegexPattern):
            if pattern.regex.groups:
                continue
            part = str(pattern).lstrip("^").rstrip("$").replace("\\", "")
        else:  # pragma: no cover - a new kind of pattern
            raise AssertionError(f"unknown URL pattern {pattern!r}")
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + part, inner)
        else:
            yield Route(prefix + part, entry.name or "", inner)


def skipped(path: str) -> bool:
    bare = path.lstrip("/")
    for code, _ in settings.LANGUAGES:
        if bare.startswith(f"{code}/"):
            bare = bare[len(code) + 1 :]
    return bare.startswith(SKIP_PREFIXES)


# Values for the URL arguments, by argument name; anything else gets ``DUMMY``.
Arguments = dict[str, list[str]]
DUMMY = {"int": "999999", "slug": "tidak-ada", "str": "tidak-ada", "path": "tidak-ada"}


def seed_urls(arguments: Arguments, languages: Iterable[str]) -> list[str]:
    """Every route of the URLconf, filled with ``arguments``, in each of ``languages``."""
    urls: list[str] = []
    for route in routes():
        if route.name in SKIP_NAMES or route.template.startswith(SKIP_PREFIXES):
            continue
        params = route.params
        choices = [arguments.get(name) or [DUMMY.get(conv, "tidak-ada")] for name, conv in params]
        for combo in product(*choices):
            path = route.fill(dict(zip([n for n, _ in params], combo, strict=True)))
            urls += [with_language(path, lang) for lang in languages] if route.localized else [path]
    return urls


def with_language(path: str, lang: str) -> str:
    """``path`` in ``lang``: the default language has no prefix."""
    return path if lang == settings.LANGUAGE_CODE else f"/{lang}{path}"


class Links(HTMLParser):
    """The targets of ``<a href>``, ``<link href>`` and GET ``<form action>`` of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("a", "link") and values.get("href"):
            self.found.append(values["href"] or "")
        elif tag == "form" and (values.get("method") or "get").lower() == "get":
            self.found.append(values.get("action") or "")


@dataclass(frozen=True)
class Page:
    url: str
    status: int
    body: str
    headers: str
    content_type: str


@dataclass
class Crawl:
    client: Client
    limit: int = 400
    pages: list[Page] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def local(self, base: str, href: str) -> str | None:
        """The same-site path (with query) ``href`` leads to from ``base``; None otherwise."""
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            return None
        parts = urlsplit(urljoin(f"http://testserver{base}", href))
        if parts.scheme not in ("http", "https") or parts.hostname != "testserver":
            return None
        path = urlunsplit(("", "", parts.path, parts.query, ""))
        return None if skipped(path) else path

    def fetch(self, url: str) -> Page | None:
        try:
            response = self.client.get(url)
        except Exception as exc:  # a crash is a failure of its own, named by URL
            self.errors.append(f"{url}: {type(exc).__name__}: {exc}")
            translation.activate(settings.LANGUAGE_CODE)
            return None
        if getattr(response, "streaming", False):
            raw = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        else:
            raw = response.content
        body = raw.decode("utf-8", errors="replace")
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        content_type = response.headers.get("Content-Type", "")
        return Page(url, response.status_code, body, headers, content_type)

    def run(self, seeds: Iterable[str], visit: Callable[[Page], None]) -> None:
        """Fetch ``seeds``, then every same-site link found, breadth first, until ``limit``
        pages; ``visit`` each response."""
        queue = deque(dict.fromkeys(seeds))
        seen = set(queue)
        while queue and len(self.pages) < self.limit:
            url = queue.popleft()
            page = self.fetch(url)
            if page is None:
                continue
            self.pages.append(page)
            visit(page)
            found: list[str] = []
            if 300 <= page.status < 400:
                location = re.search(r"^Location: (.*)$", page.headers, re.MULTILINE)
                found = [location[1]] if location else []
            elif "html" in page.content_type:
                parser = Links()
                parser.feed(page.body)
                found = parser.found
            elif "json" in page.content_type:  # the API: its ``next`` pages, attachment URLs
                found = JSON_LINK.findall(page.body)
            for href in found:
                target = self.local(url, href)
                if target is not None and target not in seen:
                    seen.add(target)
                    queue.append(target)
