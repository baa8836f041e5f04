"""Case API: log, list (JSON or GeoJSON), read (personal data masked), reveal, change, timeline."""

from datetime import date
from typing import Any

from django.contrib.gis.geos import Point
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.models import (
    DESCRIPTION_MAX,
    LOCATION_TEXT_MAX,
    SUMMARY_MAX,
    Category,
    Channel,
    Incident,
    PersonStatus,
    Severity,
    Status,
)
from incidents.personal_data import caller_reveal, person_reveal
from incidents.selectors import (
    IncidentFilter,
    incident_filter,
    incident_get_for,
    incident_list_visible_to,
    incident_order_open_first,
    timeline_of,
)
from incidents.services import (
    CallerInput,
    PersonInput,
    incident_location_correct,
    incident_log,
    incident_reassign,
    incident_update,
)
from missions.selectors import mission_get_by_code
from safety.api.conventions import Pagination, paginated
from safety.api.fields import (
    AwareDateTimeField,
    CountryCodeField,
    LatitudeField,
    LongitudeField,
    PhoneField,
    UTCDateTimeField,
)
from safety.api.idempotency import IdempotentCreateMixin
from safety.api.throttling import ScopedWriteRateThrottle
from safety.auth.users import request_user
from safety.models import AuditAction
from safety.privacy.audit import audit_record
from safety.privacy.masking import MaskedCharField, MaskedDateField, mask_passport, mask_phone

PASSPORT_REGEX = r"^[A-Z0-9]{5,20}$"


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class PersonInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    nationality = CountryCodeField(required=False, default="KR")
    passport_number = serializers.RegexField(
        PASSPORT_REGEX,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": "5-20 capital letters and digits"},
    )
    contact = PhoneField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=PersonStatus.choices, required=False, default=PersonStatus.UNKNOWN)

    def validate_date_of_birth(self, value: date | None) -> date | None:
        if value is not None and (value > timezone.localdate() or value.year < 1900):
            raise serializers.ValidationError("must be a past date after 1900")
        return value


class CallerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    phone = PhoneField()
    relation = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class MissionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_ko = serializers.CharField()


class IncidentOutputSerializer(serializers.Serializer):
    """A case without its persons and callers (the list and the GeoJSON carry no personal data)."""

    reference = serializers.CharField()
    category = serializers.CharField()
    severity = serializers.IntegerField()
    status = serializers.CharField()
    occurred_at = UTCDateTimeField()
    location_text = serializers.CharField()
    lat = serializers.SerializerMethodField()
    lon = serializers.SerializerMethodField()
    country = serializers.CharField(source="country.iso2", default=None)
    admin1 = serializers.CharField(source="admin1_code")
    geocode_confidence = serializers.FloatField(allow_null=True)
    geocode_source = serializers.CharField()
    responsible_mission = MissionRefSerializer(allow_null=True)
    routing_reason = serializers.CharField()
    needs_review = serializers.BooleanField()
    summary = serializers.CharField()
    channel = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username")
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()

    def get_lat(self, obj: Incident) -> float | None:
        return obj.location.y if obj.location else None

    def get_lon(self, obj: Incident) -> float | None:
        return obj.location.x if obj.location else None


class PersonOutputSerializer(serializers.Serializer):
    """A person with date of birth, passport and phone masked (clear only through the reveal action)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    date_of_birth = MaskedDateField()
    nationality = serializers.CharField()
    passport_number = MaskedCharField(mask=mask_passport)
    contact = MaskedCharField(mask=mask_phone)
    status = serializers.CharField()


class CallerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    phone = MaskedCharField(mask=mask_phone)
    relation = serializers.CharField()


class PersonRevealOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    nationality = serializers.CharField()
    passport_number = serializers.CharField()
    contact = serializers.CharField()
    status = serializers.CharField()


class CallerRevealOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    phone = serializers.CharField()
    relation = serializers.CharField()


class IncidentDetailOutputSerializer(IncidentOutputSerializer):
    description = serializers.CharField()
    closed_at = UTCDateTimeField(allow_null=True)
    persons = PersonOutputSerializer(many=True)
    callers = CallerOutputSerializer(many=True)


def _geojson(incidents: list[Incident]) -> dict[str, Any]:
    features = []
    for incident in incidents:
        properties = IncidentOutputSerializer(incident).data
        geometry = (
            {"type": "Point", "coordinates": [incident.location.x, incident.location.y]} if incident.location else None
        )
        features.append(
            {
                "type": "Feature",
                "id": incident.reference,
                "geometry": geometry,
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


class IncidentListCreateApi(IdempotentCreateMixin, APIView):
    """GET: cases visible to the user, open first, filtered and paginated (`?format=geojson`). POST: log a case."""

    renderer_classes = [JSONRenderer, GeoJSONRenderer]
    throttle_classes = [ScopedWriteRateThrottle]
    throttle_scope = "intake"

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Status.choices, required=False)
        category = serializers.ChoiceField(choices=Category.choices, required=False)
        severity = serializers.ChoiceField(choices=Severity.choices, required=False)
        country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False)
        mission = serializers.SlugField(max_length=60, required=False)
        occurred_from = AwareDateTimeField(required=False)
        occurred_to = AwareDateTimeField(required=False)
        q = serializers.CharField(max_length=100, required=False)

    class InputSerializer(serializers.Serializer):
        category = serializers.ChoiceField(choices=Category.choices)
        severity = serializers.ChoiceField(choices=Severity.choices)
        occurred_at = AwareDateTimeField()
        summary = serializers.CharField(max_length=SUMMARY_MAX)
        description = serializers.CharField(max_length=DESCRIPTION_MAX, required=False, allow_blank=True, default="")
        location_text = serializers.CharField(
            max_length=LOCATION_TEXT_MAX, required=False, allow_blank=True, default=""
        )
        lat = LatitudeField(required=False, allow_null=True)
        lon = LongitudeField(required=False, allow_null=True)
        country = CountryCodeField(required=False, allow_null=True)
        channel = serializers.ChoiceField(choices=Channel.choices, required=False, default=Channel.PHONE)
        # many=True hands max_length to the ListSerializer (DRF's many_init); the stubs type only the child's kwargs.
        persons = PersonInputSerializer(many=True, required=False, default=list, max_length=200)  # type: ignore[call-arg]
        callers = CallerInputSerializer(many=True, required=False, default=list, max_length=20)  # type: ignore[call-arg]

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if (attrs.get("lat") is None) != (attrs.get("lon") is None):
                missing = "lon" if attrs.get("lon") is None else "lat"
                raise serializers.ValidationError({missing: ["give both lat and lon, or neither"]})
            if not attrs.get("location_text", "").strip() and attrs.get("lat") is None and not attrs.get("country"):
                raise serializers.ValidationError(
                    {"location_text": ["say where it happened: a place, a pin (lat/lon) or a country"]}
                )
            return attrs

    @extend_schema(
        operation_id="incidents_list",
        parameters=[
            FilterSerializer,
            OpenApiParameter("format", enum=["json", "geojson"], required=False),
        ],
        responses={
            (200, "application/json"): paginated(IncidentOutputSerializer, "Incident"),
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
        },
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = dict(filters.validated_data)
        if params.get("country"):
            params["country"] = params["country"].upper()
        queryset = incident_filter(
            queryset=incident_list_visible_to(user=request.user), filters=IncidentFilter(**params)
        )
        queryset = incident_order_open_first(queryset)
        paginator = Pagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        rows = list(page) if page is not None else list(queryset)
        if request.accepted_renderer.format == "geojson":
            body = _geojson(rows)
            body["count"] = paginator.page.paginator.count if page is not None and paginator.page else len(rows)
            return Response(body)
        return paginator.get_paginated_response(IncidentOutputSerializer(rows, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: IncidentDetailOutputSerializer})
    def post(self, request: Request) -> Response:
        incident_list_visible_to(user=request.user)  # raises for roles without case access
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        location = Point(x=values["lon"], y=values["lat"], srid=4326) if values.get("lat") is not None else None
        incident = incident_log(
            reported_by=request_user(request),
            category=values["category"],
            severity=int(values["severity"]),
            occurred_at=values["occurred_at"],
            summary=values["summary"],
            description=values["description"],
            location_text=values["location_text"],
            location=location,
            country_iso2=values.get("country"),
            channel=values["channel"],
            persons=[PersonInput(**p) for p in values["persons"]],
            callers=[CallerInput(**c) for c in values["callers"]],
        )
        return Response(IncidentDetailOutputSerializer(incident).data, status=status.HTTP_201_CREATED)


class IncidentDetailApi(APIView):
    """GET: one case with its persons and callers (the read is audited). PATCH: change fields."""

    class UpdateSerializer(serializers.Serializer):
        category = serializers.ChoiceField(choices=Category.choices, required=False)
        severity = serializers.ChoiceField(choices=Severity.choices, required=False)
        status = serializers.ChoiceField(choices=Status.choices, required=False)
        summary = serializers.CharField(max_length=SUMMARY_MAX, required=False)
        description = serializers.CharField(max_length=DESCRIPTION_MAX, required=False, allow_blank=True)
        location_text = serializers.CharField(max_length=LOCATION_TEXT_MAX, required=False, allow_blank=True)
        occurred_at = AwareDateTimeField(required=False)
        channel = serializers.ChoiceField(choices=Channel.choices, required=False)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            unknown = set(self.initial_data) - set(self.fields)
            if unknown:
                raise serializers.ValidationError({name: ["unknown or read-only field"] for name in sorted(unknown)})
            if not attrs:
                raise serializers.ValidationError({"non_field_errors": ["nothing to change"]})
            return attrs

    def _get(self, request: Request, reference: str) -> Incident:
        return incident_get_for(user=request.user, reference=reference)

    @extend_schema(responses={200: IncidentDetailOutputSerializer})
    def get(self, request: Request, reference: str) -> Response:
        incident = self._get(request, reference)
        body = IncidentDetailOutputSerializer(incident).data
        if body["persons"] or body["callers"]:
            audit_record(
                actor=request.user,
                action=AuditAction.READ_PERSONAL_DATA,
                object_type="incident",
                object_ref=incident.reference,
                request=request,
                detail={"persons": len(body["persons"]), "callers": len(body["callers"])},
            )
        return Response(body)

    @extend_schema(request=UpdateSerializer, responses={200: IncidentDetailOutputSerializer})
    def patch(self, request: Request, reference: str) -> Response:
        incident = self._get(request, reference)
        data = self.UpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        if "severity" in changes:
            changes["severity"] = int(changes["severity"])
        incident = incident_update(incident=incident, actor=request_user(request), changes=changes)
        return Response(IncidentDetailOutputSerializer(self._get(request, reference)).data)


class TimelineEventOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    at = UTCDateTimeField()
    actor = serializers.CharField(source="actor.username", default=None)
    message = serializers.CharField()
    # The metaclass moves declared fields into _declared_fields, so Serializer.data stays the property.
    data = serializers.JSONField()  # type: ignore[assignment]


class IncidentTimelineApi(APIView):
    """The case's timeline, oldest first."""

    @extend_schema(responses={200: TimelineEventOutputSerializer(many=True)})
    def get(self, request: Request, reference: str) -> Response:
        incident = incident_get_for(user=request.user, reference=reference)
        return Response(TimelineEventOutputSerializer(timeline_of(incident=incident), many=True).data)


class PersonRevealApi(APIView):
    """Reveal one person's date of birth, passport number and phone in clear (audited, on the timeline)."""

    audit_writes = False  # person_reveal writes its own audit entry and counts the reveal limit

    @extend_schema(request=None, responses={200: PersonRevealOutputSerializer})
    def post(self, request: Request, reference: str, person_id: int) -> Response:
        person = person_reveal(user=request.user, reference=reference, person_id=person_id, request=request)
        return Response(PersonRevealOutputSerializer(person).data)


class CallerRevealApi(APIView):
    """Reveal one caller's phone number in clear (audited, on the timeline)."""

    audit_writes = False  # caller_reveal writes its own audit entry and counts the reveal limit

    @extend_schema(request=None, responses={200: CallerRevealOutputSerializer})
    def post(self, request: Request, reference: str, caller_id: int) -> Response:
        caller = caller_reveal(user=request.user, reference=reference, caller_id=caller_id, request=request)
        return Response(CallerRevealOutputSerializer(caller).data)


class IncidentLocationCorrectApi(APIView):
    """POST: correct the pin of a case (`lat`, `lon`); it is routed again unless its mission was set by hand."""

    class LocationInputSerializer(serializers.Serializer):
        lat = LatitudeField()
        lon = LongitudeField()

    @extend_schema(request=LocationInputSerializer, responses={200: IncidentDetailOutputSerializer})
    def post(self, request: Request, reference: str) -> Response:
        incident = incident_get_for(user=request.user, reference=reference)
        data = self.LocationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        point = Point(x=data.validated_data["lon"], y=data.validated_data["lat"], srid=4326)
        incident_location_correct(incident=incident, actor=request_user(request), location=point)
        return Response(IncidentDetailOutputSerializer(incident_get_for(user=request.user, reference=reference)).data)


class IncidentMissionOverrideApi(APIView):
    """POST: give the case to another mission (`mission` code) with a `reason`."""

    class MissionOverrideInputSerializer(serializers.Serializer):
        mission = serializers.SlugField(max_length=60)
        reason = serializers.CharField(max_length=290)

        def validate_mission(self, value: str) -> Any:
            mission = mission_get_by_code(code=value)
            if mission is None:
                raise serializers.ValidationError(f"unknown mission {value!r}")
            return mission

    @extend_schema(request=MissionOverrideInputSerializer, responses={200: IncidentDetailOutputSerializer})
    def post(self, request: Request, reference: str) -> Response:
        incident = incident_get_for(user=request.user, reference=reference)
        data = self.MissionOverrideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        incident = incident_reassign(
            incident=incident,
            actor=request_user(request),
            mission=data.validated_data["mission"],
            reason=data.validated_data["reason"],
        )
        return Response(IncidentDetailOutputSerializer(incident).data)
