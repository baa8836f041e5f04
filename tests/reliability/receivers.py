"""Real receivers for alert tests: an aiosmtpd SMTP server and an HTTP webhook receiver that checks signatures."""

import email
import hashlib
import hmac
import json
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ReceivedMail:
    recipients: list[str]
    subject: str
    message_id: str
    alert: str
    body: str
    at: float


class _SMTPHandler:
    def __init__(self, sink: "SMTPSink") -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd hook
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        part = message.get_body(preferencelist=("plain",))
        body = part.get_content() if part is not None else ""
        with self.sink.lock:
            self.sink.messages.append(
                ReceivedMail(
                    recipients=list(envelope.rcpt_tos),
                    subject=str(message["Subject"]),
                    message_id=str(message["Message-ID"]),
                    alert=str(message["X-OSC-Alert"]),
                    body=body,
                    at=time.time(),
                )
            )
        return "250 OK"


class SMTPSink:
    """A real SMTP server on a free loopback port that keeps every message it accepts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[ReceivedMail] = []
        self.lock = threading.Lock()
        self.controller = Controller(_SMTPHandler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> "SMTPSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def by_message_id(self) -> Counter[str]:
        with self.lock:
            return Counter(m.message_id for m in self.messages)


@dataclass
class ReceivedHook:
    path: str
    key: str
    alert: str
    signature_ok: bool
    status: int
    at: float
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


class WebhookReceiver:
    """An HTTP server on a free loopback port that checks X-Signature and answers by path.

    /ok → 200; /flaky/<n> → 500 for the first n requests of each Idempotency-Key, then 200;
    /hang → never answers within any sane timeout (sleeps `hang_s`); anything with a bad
    signature → 401. Every request is recorded; `processed` counts each key's 2xx once.
    """

    def __init__(self, *, secret: str, hang_s: float = 20.0) -> None:
        self.secret = secret
        self.hang_s = hang_s
        self.port = free_port()
        self.requests: list[ReceivedHook] = []
        self.lock = threading.Lock()
        self.seen_per_key: Counter[str] = Counter()
        self.processed: set[str] = set()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> "WebhookReceiver":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def verify(self, *, timestamp: str, body: bytes, signature: str) -> bool:
        mac = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
        return fresh and hmac.compare_digest(f"sha256={mac}", signature)

    def delivered(self) -> list[ReceivedHook]:
        with self.lock:
            return [r for r in self.requests if 200 <= r.status < 300]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server hook
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                key = self.headers.get("Idempotency-Key", "")
                ok = receiver.verify(
                    timestamp=self.headers.get("X-Signature-Timestamp", ""),
                    body=raw,
                    signature=self.headers.get("X-Signature", ""),
                )
                with receiver.lock:
                    receiver.seen_per_key[key] += 1
                    seen = receiver.seen_per_key[key]
                status = 200
                if not ok:
                    status = 401
                elif self.path.startswith("/flaky/"):
                    status = 500 if seen <= int(self.path.rsplit("/", 1)[1]) else 200
                elif self.path.startswith("/hang"):
                    time.sleep(receiver.hang_s)
                body = json.loads(raw) if ok else {}
                with receiver.lock:
                    receiver.requests.append(
                        ReceivedHook(
                            path=self.path,
                            key=key,
                            alert=body.get("alert", ""),
                            signature_ok=ok,
                            status=status,
                            at=time.time(),
                            body=body,
                            headers=dict(self.headers),
                        )
                    )
                    if 200 <= status < 300:
                        receiver.processed.add(key)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
                return

        return Handler
