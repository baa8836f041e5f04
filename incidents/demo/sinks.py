"""Local sinks for `make run`: an SMTP server (aiosmtpd) and a webhook receiver that checks signatures.

Run with `python -m incidents.demo.sinks`; each message received is printed. Loopback only.
"""

import argparse
import email
import hmac
import json
import logging
import os
import time
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

logger = logging.getLogger("osc.demo_sinks")


class PrintingSMTPHandler:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        logger.info("mail to %s: %s (%d bytes)", ",".join(envelope.rcpt_tos), message["Subject"], len(envelope.content))
        return "250 Message accepted for delivery"


def webhook_handler(secret: str) -> type[BaseHTTPRequestHandler]:
    from incidents.alerts.delivery import webhook_signature

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            timestamp = self.headers.get("X-Signature-Timestamp", "")
            expected = webhook_signature(secret=secret, timestamp=timestamp, body=body)
            fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
            if not (fresh and hmac.compare_digest(expected, self.headers.get("X-Signature", ""))):
                logger.warning("webhook with a bad signature refused")
                self.send_response(401)
                self.end_headers()
                return
            alert = json.loads(body)
            logger.info(
                "webhook %s %s key=%s",
                alert["incident"]["reference"],
                alert["mission"],
                self.headers.get("Idempotency-Key"),
            )
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
            return

    return Handler


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety.settings.local")
    django.setup()
    from aiosmtpd.controller import Controller

    from incidents.demo.users import DEMO_WEBHOOK_SECRET

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--webhook-port", type=int, default=8025)
    parser.add_argument("--secret", default=DEMO_WEBHOOK_SECRET)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    smtp = Controller(PrintingSMTPHandler(), hostname="127.0.0.1", port=args.smtp_port)
    smtp.start()
    server = ThreadingHTTPServer(("127.0.0.1", args.webhook_port), webhook_handler(args.secret))
    logger.info("SMTP sink on 127.0.0.1:%d, webhook sink on 127.0.0.1:%d", args.smtp_port, args.webhook_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        smtp.stop()


if __name__ == "__main__":
    main()
