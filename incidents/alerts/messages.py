"""What an alert says: the e-mail (Korean and English) and the webhook JSON body. No personal data."""

import zoneinfo
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import translation

from incidents.alerts.links import ack_url
from incidents.alerts.models import Alert
from incidents.models import Category, Severity

CATEGORY_KO = {
    Category.CRIME: "범죄",
    Category.ACCIDENT: "사고",
    Category.TERRORISM: "테러",
    Category.NATURAL_DISASTER: "자연재해",
    Category.DETENTION: "체포·구금",
    Category.MISSING_PERSON: "실종",
    Category.UNREST: "소요·시위",
    Category.HEALTH: "보건·의료",
    Category.OTHER: "기타",
}
SEVERITY_KO = {1: "낮음", 2: "보통", 3: "높음", 4: "심각"}


def local_time(*, alert: Alert, at: datetime) -> str:
    """The time in the recipient mission's own time zone (HQ: the project's, Asia/Seoul)."""
    name = alert.mission.timezone if alert.mission is not None and alert.mission.timezone else settings.TIME_ZONE
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
        name = "UTC"
    return f"{at.astimezone(zone):%Y-%m-%d %H:%M} ({name})"


def _place(alert: Alert) -> str:
    incident = alert.incident
    parts = [incident.location_text] if incident.location_text else []
    if incident.location is not None:
        parts.append(f"{incident.location.y:.5f}, {incident.location.x:.5f}")
    if incident.country_id and incident.country is not None:
        parts.append(incident.country.iso2)
    return " · ".join(parts) or "—"


def _category_en(value: str) -> str:
    with translation.override("en"):
        return str(Category(value).label)


def _severity_en(value: int) -> str:
    with translation.override("en"):
        return str(Severity(value).label)


def email_compose(*, alert: Alert, recipient: str) -> tuple[str, str]:
    """(subject, body) of the alert e-mail: Korean first, then English, with a signed ack link."""
    incident = alert.incident
    link = ack_url(alert_public_id=str(alert.public_id), recipient=recipient)
    when = local_time(alert=alert, at=incident.occurred_at)
    due = local_time(alert=alert, at=alert.ack_due_at)
    place = _place(alert)
    category_ko = CATEGORY_KO.get(Category(incident.category), incident.category)
    escalated = alert.escalated_from_id is not None
    subject = (
        f"[OSC{' 상향' if escalated else ''}] {incident.reference} {category_ko}/{_category_en(incident.category)}"
        f" · 심각도 {incident.severity} severity"
    )
    body = "\n".join(
        [
            "해외안전센터 사건 알림" + (" (상향 보고)" if escalated else ""),
            "",
            f"사건 번호: {incident.reference}",
            f"유형: {category_ko}",
            f"심각도: {incident.severity} ({SEVERITY_KO.get(incident.severity, '')})",
            f"장소: {place}",
            f"발생 시각: {when}",
            f"요약: {incident.summary}",
            f"사유: {alert.reason}",
            f"확인 기한: {due}",
            "",
            f"확인(접수) 링크: {link}",
            "",
            "— English —",
            "Overseas Safety Center incident alert" + (" (escalated)" if escalated else ""),
            "",
            f"Reference: {incident.reference}",
            f"Category: {_category_en(incident.category)}",
            f"Severity: {_severity_en(incident.severity)}",
            f"Place: {place}",
            f"Occurred: {when}",
            f"Summary: {incident.summary}",
            f"Reason: {alert.reason}",
            f"Acknowledge by: {due}",
            "",
            f"Acknowledge: {link}",
            "",
        ]
    )
    return subject, body


def webhook_body(*, alert: Alert) -> dict[str, Any]:
    incident = alert.incident
    site = (settings.SITE_URL or "").rstrip("/")
    return {
        "type": "osc.alert",
        "alert": str(alert.public_id),
        "level": alert.level,
        "reason": alert.reason,
        "mission": alert.mission.code if alert.mission else None,
        "created_at": alert.created_at.isoformat(),
        "ack_due_at": alert.ack_due_at.isoformat(),
        "incident": {
            "reference": incident.reference,
            "category": incident.category,
            "severity": incident.severity,
            "summary": incident.summary,
            "occurred_at": incident.occurred_at.isoformat(),
            "occurred_local": local_time(alert=alert, at=incident.occurred_at),
            "location_text": incident.location_text,
            "lat": incident.location.y if incident.location else None,
            "lon": incident.location.x if incident.location else None,
            "country": incident.country.iso2 if incident.country_id and incident.country else None,
        },
        "links": {
            "acknowledge_api": f"{site}/api/alerts/{alert.public_id}/acknowledge/",
            "cap": f"{site}/api/alerts/{alert.public_id}/cap.xml",
        },
    }
