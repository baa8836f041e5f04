"""Admin map widgets that work without internet: OpenLayers served by the app, countries as base map."""

from django.contrib.gis.forms.widgets import OpenLayersWidget


class OfflineMapWidget(OpenLayersWidget):
    """GeoDjango's OpenLayers widget with the npm copy of OpenLayers and the country base map."""

    template_name = "safety/offline_openlayers.html"
    default_lon = 127.0
    default_lat = 37.5
    default_zoom = 3

    class Media:
        extend = False
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/dist/ol.js", "gis/js/OLMapWidget.js")

    def get_context(self, name: str, value: object, attrs: dict[str, object] | None) -> dict[str, object]:
        context = super().get_context(name, value, attrs)
        context.update(
            default_lon=self.default_lon,
            default_lat=self.default_lat,
            default_zoom=self.default_zoom,
        )
        return context
