"""Geography endpoints: the offline base map."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from safety.geo.basemap import basemap_geojson


@require_GET
@login_required
def basemap(request: HttpRequest) -> HttpResponse:
    """Simplified country polygons (GeoJSON), cacheable for an hour by the browser."""
    response = HttpResponse(basemap_geojson(), content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=3600"
    return response
