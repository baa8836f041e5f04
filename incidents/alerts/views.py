"""The page behind the signed acknowledgment link of an alert e-mail (no login: the signature is the key).

GET shows the case and a button; only POST acknowledges, so a mail scanner that follows links
acknowledges nothing.
"""

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from incidents.alerts.exceptions import AlertLinkInvalid, AlertNotFound
from incidents.alerts.links import ack_token_read
from incidents.alerts.models import AckVia
from incidents.alerts.selectors import alert_get_by_public_id
from incidents.alerts.services import alert_acknowledge

PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto">{body}</body></html>"""


def _page(title: str, body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(format_html(PAGE, title=title, body=body), status=status)


@require_http_methods(["GET", "POST"])
def alert_ack_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        payload = ack_token_read(token=token)
        alert = alert_get_by_public_id(public_id=payload["a"])
    except (AlertLinkInvalid, AlertNotFound) as exc:
        message = exc.message if isinstance(exc, AlertLinkInvalid) else "No such alert."
        return _page("OSC", format_html("<p>유효하지 않은 링크입니다. / {}</p>", message), status=400)
    incident = alert.incident
    if request.method == "POST":
        alert = alert_acknowledge(alert=alert, user=None, via=AckVia.LINK, label=str(payload.get("r", "")))
        return _page(
            "OSC",
            format_html(
                "<h1>접수 확인됨 / Acknowledged</h1><p>{} · {} UTC · {}</p>",
                incident.reference,
                f"{alert.acknowledged_at:%Y-%m-%d %H:%M}",
                alert.acknowledged_by_label or (alert.acknowledged_by.get_username() if alert.acknowledged_by else ""),
            ),
        )
    if alert.acknowledged_at is not None:
        return _page(
            "OSC",
            format_html(
                "<h1>이미 접수 확인됨 / Already acknowledged</h1><p>{} · {} UTC</p>",
                incident.reference,
                f"{alert.acknowledged_at:%Y-%m-%d %H:%M}",
            ),
        )
    return _page(
        "OSC",
        format_html(
            "<h1>{}</h1><p>{}</p><form method='post'><input type='hidden' name='csrfmiddlewaretoken' value='{}'>"
            "<button type='submit'>접수 확인 / Acknowledge</button></form>",
            incident.reference,
            incident.summary,
            get_token(request),
        ),
    )
