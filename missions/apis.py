"""Routing API: `GET /api/route/?lat=&lon=` answers the same object as `manage.py route`."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from missions.routing import route_points
from safety.api.fields import LatitudeField, LongitudeField


class RouteOutputSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    mission = serializers.CharField(allow_null=True)
    country = serializers.CharField(allow_null=True)
    admin1 = serializers.CharField()
    reason = serializers.CharField()


class RouteApi(APIView):
    """The mission responsible for a point, the country and admin-1 used, and the reason."""

    class FilterSerializer(serializers.Serializer):
        lat = LatitudeField()
        lon = LongitudeField()

    @extend_schema(parameters=[FilterSerializer], responses={200: RouteOutputSerializer})
    def get(self, request: Request) -> Response:
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        lat, lon = params.validated_data["lat"], params.validated_data["lon"]
        body = route_points([(lon, lat)])[0].as_dict(lat=lat, lon=lon)
        body.pop("method")
        return Response(body)
