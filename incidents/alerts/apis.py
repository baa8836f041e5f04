"""Alert API: the inbox of the user's missions, one alert, acknowledgment, CAP 1.2 XML."""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.alerts.cap import alert_cap_xml
from incidents.alerts.models import AckVia, Alert
from incidents.alerts.selectors import alert_get_for, alert_list_visible_to, attempts_of
from incidents.alerts.services import alert_acknowledge
from safety.api.conventions import Pagination, paginated
from safety.api.fields import UTCDateTimeField


class DeliveryOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    target = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    delivered_at = UTCDateTimeField(allow_null=True)
    failed_at = UTCDateTimeField(allow_null=True)
    last_error = serializers.CharField()


class AttemptOutputSerializer(serializers.Serializer):
    channel = serializers.CharField(source="delivery.key")
    number = serializers.IntegerField()
    at = UTCDateTimeField()
    outcome = serializers.CharField()
    http_status = serializers.IntegerField(allow_null=True)
    error = serializers.CharField()
    duration_ms = serializers.IntegerField()


class AlertIncidentSerializer(serializers.Serializer):
    reference = serializers.CharField()
    category = serializers.CharField()
    severity = serializers.IntegerField()
    summary = serializers.CharField()
    status = serializers.CharField()
    occurred_at = UTCDateTimeField()
    location_text = serializers.CharField()
    country = serializers.CharField(source="country.iso2", default=None)


class AlertMissionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_ko = serializers.CharField()
    timezone = serializers.CharField()


class AlertOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    incident = AlertIncidentSerializer()
    mission = AlertMissionSerializer(allow_null=True)
    level = serializers.IntegerField()
    reason = serializers.CharField()
    created_at = UTCDateTimeField()
    ack_due_at = UTCDateTimeField()
    acknowledged_at = UTCDateTimeField(allow_null=True)
    acknowledged_by = serializers.SerializerMethodField()
    acknowledged_via = serializers.CharField()
    escalated_at = UTCDateTimeField(allow_null=True)
    escalated_from = serializers.UUIDField(source="escalated_from.public_id", default=None, allow_null=True)
    deliveries = DeliveryOutputSerializer(many=True)

    def get_acknowledged_by(self, obj: Alert) -> str | None:
        if obj.acknowledged_by is not None:
            return obj.acknowledged_by.get_username()
        return obj.acknowledged_by_label or None


class AlertDetailOutputSerializer(AlertOutputSerializer):
    attempts = serializers.SerializerMethodField()

    def get_attempts(self, obj: Alert) -> list[dict[str, Any]]:
        return list(AttemptOutputSerializer(attempts_of(alert=obj), many=True).data)


class AlertListApi(APIView):
    """The inbox: alerts of the user's missions (duty officers: all, with the HQ queue), newest first."""

    class FilterSerializer(serializers.Serializer):
        acknowledged = serializers.BooleanField(required=False, allow_null=True, default=None)
        mission = serializers.SlugField(max_length=60, required=False)
        hq = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        operation_id="alerts_list",
        parameters=[FilterSerializer],
        responses={200: paginated(AlertOutputSerializer, "Alert")},
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        queryset = alert_list_visible_to(user=request.user)
        if params.get("acknowledged") is not None:
            queryset = queryset.filter(acknowledged_at__isnull=not params["acknowledged"])
        if params.get("mission"):
            queryset = queryset.filter(mission__code=params["mission"])
        if params.get("hq"):
            queryset = queryset.filter(mission__isnull=True)
        paginator = Pagination()
        page = paginator.paginate_queryset(queryset.order_by("-created_at", "-id"), request, view=self)
        return paginator.get_paginated_response(AlertOutputSerializer(page, many=True).data)


class AlertDetailApi(APIView):
    """One alert with its deliveries and every attempt."""

    @extend_schema(responses={200: AlertDetailOutputSerializer})
    def get(self, request: Request, public_id: str) -> Response:
        alert = alert_get_for(user=request.user, public_id=public_id)
        return Response(AlertDetailOutputSerializer(alert).data)


class AlertAcknowledgeApi(APIView):
    """Acknowledge the alert (idempotent: a second call returns the first acknowledgment)."""

    @extend_schema(request=None, responses={200: AlertDetailOutputSerializer})
    def post(self, request: Request, public_id: str) -> Response:
        alert = alert_get_for(user=request.user, public_id=public_id)
        alert_acknowledge(alert=alert, user=request.user, via=AckVia.INBOX)
        return Response(AlertDetailOutputSerializer(alert_get_for(user=request.user, public_id=public_id)).data)


class AlertCapApi(APIView):
    """The alert as an OASIS CAP 1.2 XML message (application/cap+xml)."""

    @extend_schema(responses={(200, "application/cap+xml"): bytes})
    def get(self, request: Request, public_id: str) -> HttpResponse:
        alert = alert_get_for(user=request.user, public_id=public_id)
        return HttpResponse(alert_cap_xml(alert=alert), content_type="application/cap+xml; charset=utf-8")
