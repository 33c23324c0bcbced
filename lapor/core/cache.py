"""Django's Redis cache, with one Redis client object per server instead of one per call; a
counter in one round trip (``counter_incr``); a per-process memory of immutable values
(``Recent``).

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call; with
redis-py 8 that constructor fills a table of some 170 response callbacks, which cost more CPU
than the round trip to Redis itself on a hot page. A client is thread-safe and only borrows
connections from its server's pool, so one per server is enough."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        base: Any = self  # Django's private helpers, which its type stubs do not declare
        index = base._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in base._pools:
                base._pools[index] = base._pool_class.from_url(
                    base._servers[index], **base._pool_options
                )
            client = base._client(connection_pool=base._pools[index])
            client = self._clients.setdefault(index, client)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClient


def counter_incr(key: str, seconds: int) -> int:
    """Add one to the counter ``key`` of the default cache, which lives ``seconds`` after its
    last count; the new count. On Redis one round trip (``INCR`` + ``EXPIRE`` pipelined);
    Django's own ``cache.incr`` takes two (``EXISTS`` then ``INCRBY``) and a third to create
    the key. Other backends (the local memory of the embedded set-up): ``add`` then ``incr``."""
    from django.core.cache import caches

    backend: Any = caches["default"]
    if isinstance(backend, RedisCache):
        full = backend.make_and_validate_key(key)
        pipe = backend._cache.get_client(full, write=True).pipeline(transaction=False)
        pipe.incr(full)
        pipe.expire(full, seconds)
        count, _ = pipe.execute()
        return int(count)
    if backend.add(key, 1, seconds):
        return 1
    try:
        return int(backend.incr(key))
    except ValueError:  # expired between the two calls: this count begins a new one
        backend.set(key, 1, seconds)
        return 1


class Recent:
    """A small per-process memory in front of the shared cache for values that never change
    under their key (a key names one version): a hit costs no round trip. Entries live
    ``seconds`` at most; the least recently used go first beyond ``size``."""

    def __init__(self, size: int, seconds: float) -> None:
        self.size = size
        self.seconds = seconds
        self.items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self.lock:
            found = self.items.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self.items[key]
                return None
            self.items.move_to_end(key)
            return found[1]

    def put(self, key: str, value: Any) -> None:
        with self.lock:
            self.items[key] = (time.monotonic() + self.seconds, value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
