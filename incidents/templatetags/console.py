"""Template filters of the browser pages: names in the viewer's language, times in the viewer's zone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django import template
from django.db import models
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from incidents.models import EventKind, PersonStatus, Status, TimelineEvent
from missions.selectors import mission_list
from safety.auth.roles import roles_of
from safety.auth.users import AnyUser
from safety.privacy.masking import mask_passport, mask_phone

register = template.Library()


def _korean() -> bool:
    return (translation.get_language() or "ko").startswith("ko")


@register.filter
def mission_name(mission: object) -> str:
    if mission is None:
        return "—"
    name_ko = getattr(mission, "name_ko", "")
    return str(name_ko if _korean() and name_ko else getattr(mission, "name_en", ""))


@register.filter
def country_name(country: object) -> str:
    if country is None:
        return "—"
    name_ko = getattr(country, "name_ko", "")
    return str(name_ko if _korean() and name_ko else getattr(country, "name_en", ""))


@register.filter
def when(value: datetime | None) -> SafeString | str:
    """A date-time in the viewer's zone, with the zone named: 2026-11-20 16:30 KST."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    zone = local.tzname() or ""
    return format_html('<time datetime="{}">{} {}</time>', value.isoformat(), local.strftime("%Y-%m-%d %H:%M"), zone)


@register.filter
def when_in(value: datetime | None, zone_name: str) -> str:
    """A date-time in a named zone (the place's local time)."""
    if value is None or not zone_name:
        return "—"
    local = value.astimezone(ZoneInfo(zone_name))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({zone_name})"


@register.filter
def time_left(deadline: datetime | None) -> str:
    """Minutes left before a deadline ('12 min left'), or how long ago it passed."""
    if deadline is None:
        return "—"
    delta: timedelta = deadline - timezone.now()
    minutes = int(delta.total_seconds() // 60)
    if minutes >= 0:
        return _("%(minutes)d min left") % {"minutes": minutes}
    return _("overdue by %(minutes)d min") % {"minutes": -minutes}


@register.simple_tag
def user_roles(user: AnyUser) -> frozenset[str]:
    """The role names of a user, for the navigation."""
    return frozenset(str(role.value) for role in roles_of(user))


@register.simple_tag
def zone_choices(current: str) -> list[str]:
    """Zones offered in the time-zone switch: Seoul, UTC, the missions' zones, and the current one."""
    zones = set(mission_list().values_list("timezone", flat=True).distinct())
    zones.discard("")
    head = ["Asia/Seoul", "UTC"]
    rest = sorted(zones - set(head))
    if current and current not in head and current not in rest:
        rest.insert(0, current)
    return head + rest


@register.filter
def past(moment: datetime | None) -> bool:
    return moment is not None and moment <= timezone.now()


def _label(choices: type[models.TextChoices], value: object) -> str:
    try:
        return str(choices(str(value)).label)
    except ValueError:
        return str(value)


@register.filter
def person_status_label(value: object) -> str:
    return _label(PersonStatus, value)


@register.filter
def event_text(event: TimelineEvent) -> str:
    """What a timeline event says, in the viewer's language where its data allows; else its message."""
    data = event.data or {}
    if event.kind == EventKind.STATUS_CHANGED and "to" in data:
        return f"{_label(Status, data.get('from'))} → {_label(Status, data['to'])}"
    if event.kind == EventKind.PERSON_ADDED and "person" in data:
        return _("person #%(id)s added (%(status)s)") % {
            "id": data["person"],
            "status": _label(PersonStatus, data.get("status")),
        }
    if event.kind == EventKind.PERSON_UPDATED and data.get("field") == "status":
        text = _("person #%(id)s: %(old)s → %(new)s") % {
            "id": data.get("person"),
            "old": _label(PersonStatus, data.get("from")),
            "new": _label(PersonStatus, data.get("to")),
        }
        return f"{text} — {data['note']}" if data.get("note") else text
    if event.kind == EventKind.TRANSFERRED and "to" in data:
        return f"{data.get('from') or '—'} → {data['to']}: {data.get('reason', '')}"
    if event.kind == EventKind.ACKNOWLEDGED and "by" in data:
        return _("alert to %(recipient)s acknowledged by %(who)s") % {
            "recipient": data.get("mission") or _("HQ duty officer"),
            "who": data["by"],
        }
    if event.kind == EventKind.CALLER_ADDED and "caller" in data:
        return _("caller #%(id)s added") % {"id": data["caller"]}
    return event.message


@register.filter
def masked_passport(value: str) -> str:
    return mask_passport(value) if value else "—"


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value) if value else "—"


@register.filter
def masked_date(value: object) -> str:
    return "****-**-**" if value else "—"
