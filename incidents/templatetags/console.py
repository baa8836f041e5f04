"""Template filters of the browser pages: names in the viewer's language, times in the viewer's zone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from missions.selectors import mission_list
from safety.roles import roles_of

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
def user_roles(user: object) -> frozenset[str]:
    """The role names of a user, for the navigation."""
    return frozenset(str(role.value) for role in roles_of(user))  # type: ignore[arg-type]


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
