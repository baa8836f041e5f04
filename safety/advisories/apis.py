"""Travel-advisory API: anyone signed in reads, administrators write."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safety.advisories.models import NOTE_MAX, Advisory, Level
from safety.advisories.selectors import advisories_for, advisories_in_force, advisory_get, advisory_list
from safety.advisories.services import advisory_create, advisory_delete, advisory_update
from safety.api.conventions import Pagination, paginated
from safety.api.fields import AwareDateTimeField, CountryCodeField, UTCDateTimeField
from safety.api.idempotency import IdempotentCreateMixin
from safety.auth.roles import Role, has_role

ADMIN1_REGEX = r"^[A-Za-z0-9]{0,20}$"


class ReadOrAdminWrite(BasePermission):
    """Reads for anyone signed in; writes for administrators only."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return has_role(request.user, Role.ADMIN)


class AdvisoryOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    country = serializers.CharField(source="country.iso2")
    country_name = serializers.CharField(source="country.name_en")
    admin1 = serializers.CharField(source="admin1_code")
    level = serializers.CharField()
    level_label = serializers.CharField(source="get_level_display")
    valid_from = UTCDateTimeField()
    valid_to = UTCDateTimeField(allow_null=True)
    note = serializers.CharField()


class AdvisoryInputSerializer(serializers.Serializer):
    country = CountryCodeField()
    admin1 = serializers.RegexField(ADMIN1_REGEX, required=False, allow_blank=True, default="")
    level = serializers.ChoiceField(choices=Level.choices)
    valid_from = AwareDateTimeField()
    valid_to = AwareDateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


def _changes(data: dict[str, Any]) -> dict[str, Any]:
    names = {"admin1": "admin1_code"}
    return {names.get(key, key): value for key, value in data.items()}


class AdvisoryListCreateApi(IdempotentCreateMixin, APIView):
    """GET: advisories (filters `country`, `admin1`, `at`, `in_force=1`). POST (admins): create one."""

    permission_classes = [ReadOrAdminWrite]

    class FilterSerializer(serializers.Serializer):
        country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False)
        admin1 = serializers.RegexField(ADMIN1_REGEX, required=False, allow_blank=True)
        at = AwareDateTimeField(required=False)
        in_force = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        operation_id="advisories_list",
        parameters=[FilterSerializer],
        responses={200: paginated(AdvisoryOutputSerializer, "Advisory")},
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        rows: Any
        if f.get("country") and (f.get("in_force") or f.get("at")):
            rows = advisories_for(f["country"], f.get("admin1", ""), f.get("at"))
        elif f.get("in_force") or f.get("at"):
            rows = advisories_in_force(at=f.get("at"))
        else:
            rows = advisory_list()
            if f.get("country"):
                rows = rows.filter(country__iso2=f["country"].upper())
            if "admin1" in f:
                rows = rows.filter(admin1_code=f["admin1"])
        paginator = Pagination()
        page: list[Advisory] | None = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(AdvisoryOutputSerializer(page, many=True).data)

    @extend_schema(request=AdvisoryInputSerializer, responses={201: AdvisoryOutputSerializer})
    def post(self, request: Request) -> Response:
        data = AdvisoryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        advisory = advisory_create(
            country_iso2=v["country"],
            admin1_code=v["admin1"],
            level=v["level"],
            valid_from=v["valid_from"],
            valid_to=v["valid_to"],
            note=v["note"],
        )
        return Response(AdvisoryOutputSerializer(advisory).data, status=status.HTTP_201_CREATED)


class AdvisoryDetailApi(APIView):
    """GET one advisory; PATCH or DELETE it (admins)."""

    permission_classes = [IsAuthenticated, ReadOrAdminWrite]

    @extend_schema(responses={200: AdvisoryOutputSerializer})
    def get(self, request: Request, public_id: str) -> Response:
        return Response(AdvisoryOutputSerializer(advisory_get(public_id=public_id)).data)

    @extend_schema(request=AdvisoryInputSerializer(partial=True), responses={200: AdvisoryOutputSerializer})
    def patch(self, request: Request, public_id: str) -> Response:
        advisory: Advisory = advisory_get(public_id=public_id)
        data = AdvisoryInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {key: value for key, value in data.validated_data.items() if key in request.data}
        advisory = advisory_update(advisory=advisory, changes=_changes(changes))
        return Response(AdvisoryOutputSerializer(advisory).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, public_id: str) -> Response:
        advisory_delete(advisory=advisory_get(public_id=public_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
