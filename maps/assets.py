"""Local copies of the map assets (npm, served under /static/vendor/) and folium configured to use them.

folium's defaults load Leaflet, jQuery, Bootstrap and Awesome Markers from CDNs (folium.folium._default_js,
_default_css; plugins' default_js/default_css). `offline()` replaces each known entry by the local copy and
drops what the dashboard does not use; an unknown entry is an error, so no CDN link can slip through.
`inline_assets()` turns the local links of a page into inline <script>/<style> for the self-contained export.
"""

import base64
import re
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

# folium resource name -> static path (None: not needed by the dashboard, dropped).
LOCAL_ASSETS: dict[str, str | None] = {
    "leaflet": "vendor/leaflet/dist/leaflet.js",
    "leaflet_css": "vendor/leaflet/dist/leaflet.css",
    "markerclusterjs": "vendor/leaflet.markercluster/dist/leaflet.markercluster.js",
    "markerclustercss": "vendor/leaflet.markercluster/dist/MarkerCluster.css",
    "markerclusterdefaultcss": "vendor/leaflet.markercluster/dist/MarkerCluster.Default.css",
    "leaflet-heat.js": "vendor/leaflet.heat/dist/leaflet-heat.js",
    "jquery": None,
    "bootstrap": None,
    "awesome_markers": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers_font_css": None,
    "awesome_markers_css": None,
    "awesome_rotate_css": None,
}
E = TypeVar("E")
APP_JS = ("maps/osc-map.js",)
APP_CSS = ("maps/dashboard.css",)


class UnknownAsset(RuntimeError):
    """folium asked for a resource this module has no local copy of."""


def _local(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    result = []
    for name, _url in pairs:
        if name not in LOCAL_ASSETS:
            raise UnknownAsset(f"no local copy of folium resource {name!r}; add it to maps.assets.LOCAL_ASSETS")
        path = LOCAL_ASSETS[name]
        if path is not None:
            result.append((name, static(path)))
    return result


def offline(element: E) -> E:
    """Point an element's folium resources at the local copies (instance attributes; the class lists stay)."""
    # folium elements carry default_js/default_css on their classes; the bound E does not declare them.
    element.default_js = _local(list(getattr(element, "default_js", [])))  # type: ignore[attr-defined]
    element.default_css = _local(list(getattr(element, "default_css", [])))  # type: ignore[attr-defined]
    return element


def _static_file(url: str) -> Path:
    prefix = settings.STATIC_URL
    if not url.startswith(prefix):
        raise UnknownAsset(f"not a static asset: {url}")
    found = finders.find(url[len(prefix) :])
    if not found:
        raise UnknownAsset(f"static asset missing (run make setup): {url}")
    return Path(str(found))


def _data_uri(path: Path) -> str:
    kind = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}.get(
        path.suffix, "application/octet-stream"
    )
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode()


@lru_cache(maxsize=32)
def _inline_css(url: str) -> str:
    path = _static_file(url)
    css = path.read_text(encoding="utf-8")

    def embed(match: re.Match[str]) -> str:
        ref = match.group(1).strip("'\"")
        if ref.startswith("data:") or ref.startswith("#"):
            return match.group(0)
        target = (path.parent / ref).resolve()
        return f'url("{_data_uri(target)}")' if target.is_file() else "none"

    css = re.sub(r"url\(([^)]+)\)", embed, css)
    return "<style>" + css.replace("</style", "<\\/style") + "</style>"


@lru_cache(maxsize=32)
def _inline_js(url: str) -> str:
    js = _static_file(url).read_text(encoding="utf-8")
    return "<script>" + js.replace("</script", "<\\/script") + "</script>"


SCRIPT_TAG = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
LINK_TAG = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')


def inline_assets(html: str) -> str:
    """Replace every local <script src> and stylesheet <link> by the file's content; other URLs are an error."""

    def js(match: re.Match[str]) -> str:
        return _inline_js(match.group(1))

    def css(match: re.Match[str]) -> str:
        return _inline_css(match.group(1))

    return LINK_TAG.sub(css, SCRIPT_TAG.sub(js, html))


def asset_tags() -> str:
    """Links to the dashboard's own script and stylesheet (folium's come from its header)."""
    tags = [f'<link rel="stylesheet" href="{static(p)}"/>' for p in APP_CSS]
    tags += [f'<script src="{static(p)}"></script>' for p in APP_JS]
    return "\n".join(tags)
