"""Geocoding API: `GET /api/geocode/?q=` answers the same object as `manage.py geocode`."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safety.api.fields import CountryCodeField
from safety.geo.chain import geocode


class GeocodeCandidateSerializer(serializers.Serializer):
    query = serializers.CharField()
    found = serializers.BooleanField()
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    country = serializers.CharField(allow_null=True)
    admin1 = serializers.CharField()
    display_name = serializers.CharField()
    confidence = serializers.FloatField()
    # A field named source: the metaclass moves it into _declared_fields; Field.source is untouched.
    source = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.CharField(help_text="place, country, or a destination kind (island, airport, beach…)")


class GeocodeOutputSerializer(GeocodeCandidateSerializer):
    level = serializers.CharField(help_text="landmark, place, island, admin2, admin1 or country")
    unmatched = serializers.ListField(child=serializers.CharField())
    candidates = GeocodeCandidateSerializer(many=True)


class GeocodeApi(APIView):
    """Geocode a place description (offline first, then the configured providers)."""

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(max_length=300, trim_whitespace=False)
        country = CountryCodeField(required=False)

        def validate_q(self, value: str) -> str:
            if not value.strip():
                raise serializers.ValidationError("say which place to look for")
            if "\x00" in value:
                raise serializers.ValidationError("the text holds a NUL character")
            return value

    @extend_schema(parameters=[FilterSerializer], responses={200: GeocodeOutputSerializer})
    def get(self, request: Request) -> Response:
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        found = geocode(params.validated_data["q"], country_hint=params.validated_data.get("country"))
        return Response(found.result.as_dict())
