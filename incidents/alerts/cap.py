"""An alert as an OASIS CAP 1.2 message: Korean and English <info>, the place as an <area> circle."""

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from lxml import etree

from incidents.alerts.messages import CATEGORY_KO, SEVERITY_KO, _category_en, local_time
from incidents.alerts.models import Alert
from incidents.models import Category

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_XSD = Path(__file__).resolve().parent / "schemas" / "CAP-v1.2.xsd"
CIRCLE_RADIUS_KM = 1.0  # a point with no stated extent: a 1 km circle around it

CAP_CATEGORY = {
    Category.CRIME: "Security",
    Category.ACCIDENT: "Safety",
    Category.TERRORISM: "Security",
    Category.NATURAL_DISASTER: "Geo",
    Category.DETENTION: "Security",
    Category.MISSING_PERSON: "Rescue",
    Category.UNREST: "Security",
    Category.HEALTH: "Health",
    Category.OTHER: "Other",
}
CAP_SEVERITY = {4: "Extreme", 3: "Severe", 2: "Moderate", 1: "Minor"}
CAP_URGENCY = {4: "Immediate", 3: "Immediate", 2: "Expected", 1: "Expected"}


def cap_time(value: datetime) -> str:
    """CAP date-time: seconds, explicit offset, never "Z" (the schema's pattern)."""
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    node = etree.SubElement(parent, f"{{{CAP_NS}}}{name}")
    if text is not None:
        node.text = text
    return node


def _info(root: etree._Element, alert: Alert, *, language: str) -> None:
    incident = alert.incident
    korean = language == "ko-KR"
    category_name = (
        CATEGORY_KO.get(Category(incident.category), incident.category) if korean else _category_en(incident.category)
    )
    info = _sub(root, "info")
    _sub(info, "language", language)
    _sub(info, "category", CAP_CATEGORY.get(Category(incident.category), "Other"))
    _sub(info, "event", category_name)
    _sub(info, "responseType", "Assess")
    _sub(info, "urgency", CAP_URGENCY.get(incident.severity, "Unknown"))
    _sub(info, "severity", CAP_SEVERITY.get(incident.severity, "Unknown"))
    _sub(info, "certainty", "Observed")
    _sub(info, "audience", "재외공관 영사 담당" if korean else "Consular staff of the mission")
    event_code = _sub(info, "eventCode")
    _sub(event_code, "valueName", "OSC-CATEGORY")
    _sub(event_code, "value", incident.category)
    _sub(info, "onset", cap_time(incident.occurred_at))
    _sub(info, "senderName", "외교부 해외안전센터" if korean else "MOFA Overseas Safety Center")
    when = local_time(alert=alert, at=incident.occurred_at)
    if korean:
        level_ko = SEVERITY_KO.get(incident.severity, "")
        headline = f"{incident.reference} {category_name} (심각도 {incident.severity} {level_ko})"
        description = f"{incident.summary}\n장소: {incident.location_text or '—'}\n발생 시각: {when}"
        instruction = f"재외공관은 {local_time(alert=alert, at=alert.ack_due_at)}까지 접수 확인하십시오."
    else:
        headline = f"{incident.reference} {category_name} (severity {incident.severity})"
        description = f"{incident.summary}\nPlace: {incident.location_text or '—'}\nOccurred: {when}"
        instruction = f"Acknowledge by {local_time(alert=alert, at=alert.ack_due_at)}."
    _sub(info, "headline", headline[:160])
    _sub(info, "description", description)
    _sub(info, "instruction", instruction)
    _sub(info, "web", f"{(settings.SITE_URL or '').rstrip('/')}/api/incidents/{incident.reference}/")
    parameter = _sub(info, "parameter")
    _sub(parameter, "valueName", "OSC-SEVERITY")
    _sub(parameter, "value", str(incident.severity))
    area = _sub(info, "area")
    _sub(area, "areaDesc", incident.location_text or (incident.country.iso2 if incident.country else "unknown"))
    if incident.location is not None:
        _sub(area, "circle", f"{incident.location.y:.5f},{incident.location.x:.5f} {CIRCLE_RADIUS_KM:g}")
    if incident.country is not None:
        geocode = _sub(area, "geocode")
        _sub(geocode, "valueName", "ISO3166-1")
        _sub(geocode, "value", incident.country.iso2)


def alert_cap_xml(*, alert: Alert) -> bytes:
    """The CAP 1.2 message of the alert (UTF-8 XML with declaration). Carries no personal data."""
    incident = alert.incident
    root = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})
    _sub(root, "identifier", f"urn:uuid:{alert.public_id}")
    _sub(root, "sender", settings.ALERT_CAP_SENDER)
    _sub(root, "sent", cap_time(alert.created_at))
    _sub(root, "status", "Actual")
    _sub(root, "msgType", "Alert")
    _sub(root, "source", "Overseas Safety Center")
    _sub(root, "scope", "Restricted")
    _sub(root, "restriction", "MOFA consular staff only")
    _sub(root, "code", "OSC")
    _sub(root, "note", alert.reason or "routed")
    _sub(root, "incidents", incident.reference)
    _info(root, alert, language="ko-KR")
    _info(root, alert, language="en-US")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@lru_cache(maxsize=1)
def cap_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(CAP_XSD)))
