"""Reading an e-mail as a citizen meant it: the text without quoted history and signature,
an HTML-only message as plain text, and whether it is an automatic message (an out-of-office
reply, a bounce) that must never be answered (RFC 3834, RFC 3464)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from anymail.inbound import AnymailInboundMessage

# Where the quoted history of a reply starts, in the mail programs Indonesians use.
QUOTE_MARKERS = [
    re.compile(r"^\s*On .{5,200} wrote:\s*$", re.I),
    re.compile(r"^\s*Pada .{5,200} menulis:\s*$", re.I),
    re.compile(r"^\s*Le .{5,200} a écrit\s*:\s*$", re.I),
    re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*-{2,}\s*Pesan Asli\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*From:\s.+$"),  # Outlook's header block of the quoted message
    re.compile(r"^\s*Dari:\s.+$"),
    re.compile(r"^_{10,}\s*$"),
]
SIGNATURE_MARKERS = [
    re.compile(r"^-- ?$"),  # the standard signature delimiter
    re.compile(r"^\s*(Sent from|Dikirim dari|Get Outlook for) .{0,60}$", re.I),
]
FORWARD_MARKER = re.compile(
    r"^\s*-{5,}\s*(Forwarded message|Pesan yang diteruskan|Pesan terusan)\s*-{5,}\s*$", re.I
)


class _Text(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head") and self.skip:
            self.skip -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def body_text(message: AnymailInboundMessage) -> str:
    """The message's text: its text/plain part, else its HTML as text."""
    text = message.text
    if text and text.strip():
        return text.replace("\r\n", "\n")
    html = message.html
    return html_to_text(html) if html else ""


def strip_reply(text: str) -> str:
    """The new text of a reply: quoted lines (``>``), the quoted history after a marker
    ("On … wrote:", "Pada … menulis:", "-----Original Message-----") and the signature cut.
    A forwarded message is kept: it is what the sender wants us to read."""
    kept: list[str] = []
    forwarded = False
    for line in text.splitlines():
        if forwarded or FORWARD_MARKER.match(line):
            forwarded = True
            kept.append(line)
            continue
        marker = any(m.match(line) for m in QUOTE_MARKERS + SIGNATURE_MARKERS)
        if marker and kept:  # a marker on the first line is text, not history
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
DAEMONS = ("mailer-daemon@", "postmaster@", "noreply@", "no-reply@")


def automatic(message: AnymailInboundMessage) -> str:
    """Why the message is automatic (and must never be answered), or ""."""
    auto = (message.get("Auto-Submitted") or "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    content_type = message.get_content_type()
    if content_type == "multipart/report":  # a delivery status notification (bounce)
        return f"multipart/report; report-type={message.get_param('report-type') or ''}"
    for header in ("X-Autoreply", "X-Autorespond"):
        if message.get(header):
            return header
    precedence = (message.get("Precedence") or "").strip().lower()
    if precedence in AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    if (message.get("Return-Path") or "").strip() == "<>":
        return "Return-Path: <>"
    sender = message.from_email.addr_spec.lower() if message.from_email else ""
    if not sender or sender.startswith(DAEMONS):
        return f"pengirim otomatis: {sender or '(kosong)'}"
    return ""
