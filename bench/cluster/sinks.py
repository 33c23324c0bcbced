"""Where the product delivers during the fault run: a partner's webhook receiver, an SMTP server
and an SMS gateway, each writing one JSON line per message it accepted.

    sinks.py STATE_DIR        (listens on 10.77.0.1: webhooks :9001, SMTP :2525, SMS :9002)

- webhooks (``POST /hook``): every message checked with ``standardwebhooks`` against the
  endpoint's secret (``STATE_DIR/seed.json``); a bad signature is answered 400 and logged as
  such; ``webhooks.jsonl``: ``webhook_id``, ``type``, ``tracking_id``, ``seq``, ``valid``;
- SMTP: a minimal server (HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT); ``mail.jsonl``: each
  recipient with the decoded subject;
- SMS (``POST /send``, ``Authorization: Bearer <token>``, JSON ``{"to", "message"}``);
  ``sms.jsonl``: ``to`` and the message.
"""

from __future__ import annotations

import email
import email.header
import json
import socketserver
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ADDRESS = "10.77.0.1"
WEBHOOK_PORT, SMTP_PORT, SMS_PORT = 9001, 2525, 9002
SMS_TOKEN = "cluster-sms-token"  # noqa: S105  (the run's own gateway)
LOCK = threading.Lock()


class Log:
    def __init__(self, path: Path) -> None:
        self.file = path.open("a", buffering=1)

    def write(self, **row: object) -> None:
        with LOCK:
            self.file.write(json.dumps({"at": time.time(), **row}) + "\n")


def webhook_server(state: Path, log: Log) -> ThreadingHTTPServer:
    from standardwebhooks import Webhook

    verifier = Webhook(json.loads((state / "seed.json").read_text())["webhook_secret"])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                verifier.verify(body, headers)
                valid = True
            except Exception:
                valid = False
            message = json.loads(body or b"{}")
            data = message.get("data") or {}
            log.write(
                webhook_id=headers.get("webhook-id"),
                type=message.get("type"),
                tracking_id=data.get("tracking_id"),
                seq=data.get("seq"),
                valid=valid,
            )
            self.send_response(204 if valid else 400)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return ThreadingHTTPServer((ADDRESS, WEBHOOK_PORT), Handler)


def sms_server(log: Log) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            if self.headers.get("authorization") != f"Bearer {SMS_TOKEN}":
                self.send_response(401)
                self.end_headers()
                return
            sent = json.loads(body)
            log.write(to=sent.get("to"), message=sent.get("message"))
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"status": "queued"}')

        def log_message(self, *args: object) -> None:
            pass

    return ThreadingHTTPServer((ADDRESS, SMS_PORT), Handler)


def smtp_server(log: Log) -> socketserver.ThreadingTCPServer:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self) -> None:
            self.reply("220 sink ESMTP")
            recipients: list[str] = []
            while True:
                raw = self.rfile.readline()
                if not raw:
                    return
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                verb = line[:4].upper()
                if verb == "EHLO":
                    self.reply("250-sink")
                    self.reply("250 8BITMIME")
                elif verb == "HELO":
                    self.reply("250 sink")
                elif verb == "MAIL":
                    recipients = []
                    self.reply("250 ok")
                elif verb == "RCPT":
                    recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                    self.reply("250 ok")
                elif verb == "DATA":
                    self.reply("354 end with .")
                    data = bytearray()
                    while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                        data += chunk[1:] if chunk.startswith(b"..") else chunk
                    message = email.message_from_bytes(bytes(data))
                    subject = str(email.header.make_header(
                        email.header.decode_header(message.get("subject", ""))
                    ))  # fmt: skip
                    for to in recipients:
                        log.write(to=to, subject=subject)
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:  # RSET, NOOP and the rest
                    self.reply("250 ok")

    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer((ADDRESS, SMTP_PORT), Handler)
    server.daemon_threads = True
    return server


def main() -> None:
    state = Path(sys.argv[1])
    logs = state / "logs"
    servers = [
        webhook_server(state, Log(logs / "webhooks.jsonl")),
        smtp_server(Log(logs / "mail.jsonl")),
        sms_server(Log(logs / "sms.jsonl")),
    ]
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("sinks: listening", file=sys.stderr, flush=True)
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
