"""Forms of the browser pages: log a case (with persons and callers), and the case-work actions."""

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.gis.geos import Point
from django.core.validators import RegexValidator
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from incidents.models import (
    DESCRIPTION_MAX,
    LOCATION_TEXT_MAX,
    SUMMARY_MAX,
    Category,
    Channel,
    PersonStatus,
    Severity,
    Status,
)
from incidents.services import NOTE_MAX, REASSIGN_REASON_MAX, CallerInput, PersonInput
from missions.models import Mission
from missions.selectors import mission_list
from safety.api.fields import phone_normalize
from safety.geo.models import Country
from safety.geo.timezones import timezone_at, timezone_of_country, timezone_of_text

KST = "Asia/Seoul"
DATETIME_LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")
FUTURE_TOLERANCE = timedelta(hours=1)
passport_validator = RegexValidator(r"^[A-Z0-9]{5,20}$", _("5–20 capital letters and digits"))


def _with_blank(choices: list[tuple[Any, Any]], label: Any = "—") -> list[tuple[Any, Any]]:
    return [("", label), *choices]


def _mission_label(mission: Mission) -> str:
    korean = (translation.get_language() or "ko").startswith("ko")
    name = mission.name_ko if korean and mission.name_ko else mission.name_en
    return f"{mission.country.iso2} · {name}"


class MissionChoiceField(forms.ModelChoiceField):
    """Active missions by country, named in the viewer's language; posted as the mission code."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Mission.objects.none(), to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return _mission_label(obj)


class IncidentLogForm(forms.Form):
    """Log a case. The time is entered as a wall-clock time of the place (or of Seoul) and stored in UTC."""

    BASIS_LOCAL = "local"
    BASIS_KST = "kst"

    category = forms.ChoiceField(label=_("Category"), choices=_with_blank(Category.choices))
    severity = forms.TypedChoiceField(
        label=_("Severity"), choices=_with_blank(Severity.choices), coerce=int, empty_value=None
    )
    occurred_at = forms.CharField(
        label=_("When it happened"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Wall-clock time, in the zone chosen below."),
    )
    time_basis = forms.ChoiceField(
        label=_("That time is"),
        choices=[(BASIS_LOCAL, _("local time at the place")), (BASIS_KST, _("Korea time (KST)"))],
        initial=BASIS_LOCAL,
        widget=forms.RadioSelect,
    )
    location_text = forms.CharField(
        label=_("Where"),
        max_length=LOCATION_TEXT_MAX,
        required=False,
        help_text=_("Type a place; pick a suggestion with the arrow keys and Enter, or place the pin on the map."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "role": "combobox", "aria-autocomplete": "list"}),
    )
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90, required=False)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180, required=False)
    country = forms.CharField(required=False, max_length=2, widget=forms.HiddenInput)
    summary = forms.CharField(label=_("Summary"), max_length=SUMMARY_MAX)
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)

    entry_zone: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lat", "lon"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})

    def clean_occurred_at(self) -> datetime:
        raw = self.cleaned_data["occurred_at"].strip()
        for fmt in DATETIME_LOCAL_FORMATS:
            try:
                return datetime.strptime(raw, fmt)  # noqa: DTZ007 - the zone is attached in clean()
            except ValueError:
                continue
        raise forms.ValidationError(_("Enter a date and time, e.g. 2026-11-20 14:30."))

    def clean_country(self) -> str:
        value = self.cleaned_data["country"].strip().upper()
        if value and not Country.objects.filter(iso2=value).exists():
            raise forms.ValidationError(_("Unknown country."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            self.add_error("lon" if lon is None else "lat", _("Give both latitude and longitude, or neither."))
            return data
        point = Point(x=lon, y=lat, srid=4326) if lat is not None and lon is not None else None
        data["location"] = point
        if point is None and not (data.get("location_text") or "").strip() and not data.get("country"):
            self.add_error("location_text", _("Say where it happened: a place, a pin on the map or a country."))
        naive = data.get("occurred_at")
        if isinstance(naive, datetime):
            zone = self._entry_zone(data, point)
            if zone is None:
                self.add_error(
                    "time_basis",
                    _("The place's time zone is unknown: pick a suggested place, set the pin, or enter Korea time."),
                )
            else:
                self.entry_zone = zone
                aware = naive.replace(tzinfo=ZoneInfo(zone))
                if aware > timezone.now() + FUTURE_TOLERANCE:
                    self.add_error("occurred_at", _("That time is in the future."))
                data["occurred_at"] = aware
        return data

    def _entry_zone(self, data: dict[str, Any], point: Point | None) -> str | None:
        if data.get("time_basis") == self.BASIS_KST:
            return KST
        if point is not None:
            return timezone_at(point=point)
        if (data.get("location_text") or "").strip():
            zone = timezone_of_text(location_text=data["location_text"], country_iso2=data.get("country") or None)
            if zone:
                return zone
        if data.get("country"):
            return timezone_of_country(iso2=data["country"])
        return None


class PersonForm(forms.Form):
    """One affected national; an untouched row of the formset is skipped."""

    name = forms.CharField(label=_("Name"), max_length=200)
    nationality = forms.CharField(label=_("Nationality"), max_length=2, initial="KR")
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    passport_number = forms.CharField(label=_("Passport number"), max_length=20, required=False)
    contact = forms.CharField(label=_("Phone"), max_length=40, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=PersonStatus.choices, initial=PersonStatus.UNKNOWN)

    def clean_nationality(self) -> str:
        value = self.cleaned_data["nationality"].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", value) or not Country.objects.filter(iso2=value).exists():
            raise forms.ValidationError(_("Two-letter country code, e.g. KR."))
        return value

    def clean_passport_number(self) -> str:
        value = str(self.cleaned_data["passport_number"]).strip().upper()
        if value:
            passport_validator(value)
        return value

    def clean_contact(self) -> str:
        value = self.cleaned_data["contact"].strip()
        return _phone(value) if value else ""

    def clean_date_of_birth(self) -> date | None:
        value = self.cleaned_data["date_of_birth"]
        if value is not None and (value > timezone.localdate() or value.year < 1900):
            raise forms.ValidationError(_("A past date after 1900."))
        return value

    def as_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            name=data["name"].strip(),
            nationality=data["nationality"],
            date_of_birth=data["date_of_birth"],
            passport_number=data["passport_number"],
            contact=data["contact"],
            status=data["status"],
        )


class CallerForm(forms.Form):
    name = forms.CharField(label=_("Caller's name"), max_length=200)
    phone = forms.CharField(label=_("Caller's phone"), max_length=40)
    relation = forms.CharField(label=_("Relation"), max_length=100, required=False)

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"].strip())

    def as_input(self) -> CallerInput:
        data = self.cleaned_data
        return CallerInput(name=data["name"].strip(), phone=data["phone"], relation=data["relation"].strip())


def _phone(raw: str) -> str:
    try:
        return phone_normalize(raw)
    except ValueError as exc:
        raise forms.ValidationError(_("Not a valid phone number (e.g. +66 81 234 5678 or 010-1234-5678).")) from exc


PersonFormSet = forms.formset_factory(PersonForm, extra=2, max_num=200, absolute_max=200)
CallerFormSet = forms.formset_factory(CallerForm, extra=1, max_num=20, absolute_max=20)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class TransferForm(forms.Form):
    mission = MissionChoiceField(label=_("Transfer to"))
    reason = forms.CharField(label=_("Reason"), max_length=REASSIGN_REASON_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mission"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = mission_list().order_by("country__iso2", "code")


class PinForm(forms.Form):
    """A corrected pin for a case (the map's marker, or typed)."""

    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "pin")
        super().__init__(*args, **kwargs)
        for name in ("lat", "lon"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})

    def point(self) -> Point:
        return Point(x=self.cleaned_data["lon"], y=self.cleaned_data["lat"], srid=4326)


class PersonStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=PersonStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)


class CaseFilterForm(forms.Form):
    """Filters of the case list; dates are days in the viewer's zone."""

    q = forms.CharField(label=_("Search (reference, name, place)"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_with_blank(Status.choices, _("any")), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=_with_blank(Category.choices, _("any")), required=False)
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=_with_blank(Severity.choices, _("any")),
        coerce=int,
        empty_value=None,
        required=False,
    )
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)
    mission = MissionChoiceField(label=_("Mission"), required=False, empty_label=_("any"))
    occurred_from = forms.DateField(
        label=_("Occurred from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    occurred_to = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mission"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = mission_list().order_by("country__iso2", "code")

    def clean_country(self) -> str:
        return self.cleaned_data["country"].strip().upper()

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The period as aware datetimes: from the first day's midnight to the day after the last."""
        zone = timezone.get_current_timezone()
        start, end = self.cleaned_data.get("occurred_from"), self.cleaned_data.get("occurred_to")
        lower = datetime(start.year, start.month, start.day, tzinfo=zone) if start else None
        upper = datetime(end.year, end.month, end.day, tzinfo=zone) + timedelta(days=1) if end else None
        return lower, upper
