"""The hosts of the fault run: network namespaces on one bridge, and how to run a command in one.

```
 root namespace (10.77.0.1): nginx :8080, load generator, webhook / SMTP / SMS sinks
   └─ bridge lapor-br0 ─┬─ veth ─ lapor-db    10.77.0.10  PostgreSQL primary :5432,
                        │                                 replica :5433, Redis :6379
                        ├─ veth ─ lapor-app1  10.77.0.11  granian :8000
                        ├─ veth ─ lapor-app2  10.77.0.12  granian :8000
                        ├─ veth ─ lapor-work1 10.77.0.21  lapor worker
                        └─ veth ─ lapor-work2 10.77.0.22  lapor worker
```

Each namespace's end of its link is ``eth0``; the root end is ``lc-<host>`` on the bridge.
Cutting a host off is ``ip link set eth0 down`` inside its namespace.
"""

from __future__ import annotations

import subprocess

BRIDGE = "lapor-br0"
GATEWAY = "10.77.0.1"
PREFIX = 24
HOSTS = {
    "db": "10.77.0.10",
    "app1": "10.77.0.11",
    "app2": "10.77.0.12",
    "work1": "10.77.0.21",
    "work2": "10.77.0.22",
}


def ns(host: str) -> str:
    return f"lapor-{host}"


def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), check=check, capture_output=True, text=True)


def in_ns(host: str, *args: str) -> list[str]:
    """The command line that runs ``args`` inside ``host``'s namespace."""
    return ["ip", "netns", "exec", ns(host), *args]


def up() -> None:
    """The bridge with the gateway address, and one namespace per host linked to it."""
    sh("ip", "link", "add", BRIDGE, "type", "bridge")
    sh("ip", "addr", "add", f"{GATEWAY}/{PREFIX}", "dev", BRIDGE)
    sh("ip", "link", "set", BRIDGE, "up")
    for host, address in HOSTS.items():
        outer = f"lc-{host}"
        sh("ip", "netns", "add", ns(host))
        sh("ip", "link", "add", outer, "type", "veth", "peer", "name", "eth0", "netns", ns(host))
        sh("ip", "link", "set", outer, "master", BRIDGE)
        sh("ip", "link", "set", outer, "up")
        sh(*in_ns(host, "ip", "addr", "add", f"{address}/{PREFIX}", "dev", "eth0"))
        sh(*in_ns(host, "ip", "link", "set", "eth0", "up"))
        sh(*in_ns(host, "ip", "link", "set", "lo", "up"))
        sh(*in_ns(host, "ip", "route", "add", "default", "via", GATEWAY))


def down() -> None:
    """Remove every namespace and link this module made (missing ones are fine)."""
    for host in HOSTS:
        sh("ip", "netns", "del", ns(host), check=False)  # takes its veth pair along
        sh("ip", "link", "del", f"lc-{host}", check=False)
    sh("ip", "link", "del", BRIDGE, check=False)


def set_link(host: str, state: str) -> None:
    """``up`` or ``down``: the host's own end of its only link."""
    sh(*in_ns(host, "ip", "link", "set", "eth0", state))
