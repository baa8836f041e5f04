"""The exported dashboard in Debian's Chromium with the network off: the map draws, no script injected runs."""

from pathlib import Path

import pytest

from maps.dashboard import dashboard_build
from maps.filters import filter_parse
from missions.models import Mission
from safety.advisories.models import Level
from safety.advisories.services import advisory_create
from tests.maps.conftest import NOV_20, OSAKA, PERIOD, _case

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = '<script>window.__xss = (window.__xss || 0) + 1</script><img src=x onerror="window.__xss=1">'


def open_offline(path: Path, screenshot: Path | None = None) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(offline=True, viewport={"width": 1500, "height": 950})
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on(
                "request",
                lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:", "about:")) else None,
            )
            page.goto(path.as_uri())
            page.wait_for_function("window.oscMapReady === true", timeout=30_000)
            page.wait_for_timeout(300)
            result = {
                "xss": page.evaluate("window.__xss === undefined ? null : window.__xss"),
                "stats": page.evaluate("Object.assign({}, window.OSC.stats)"),
                "clusters": page.evaluate("document.querySelectorAll('.leaflet-marker-icon').length"),
                "layers": page.evaluate(
                    "Array.from(document.querySelectorAll('.leaflet-control-layers label'))"
                    ".map(l => l.textContent.trim())"
                ),
            }
            # Switch the advisory and mission layers on and hover a cluster: tooltips render escaped labels too.
            for label in ("Travel advisories", "Missions and districts", "Heat map"):
                page.locator(".leaflet-control-layers label", has_text=label).click()
            page.wait_for_timeout(300)
            page.hover(".leaflet-marker-icon >> nth=0")
            page.wait_for_timeout(200)
            result["tooltip"] = page.evaluate(
                "OSC.clusterRow([1, 1, 1, '<img src=x onerror=\"window.__xss=3\">']).getTooltip()._content"
            )
            result["xss_after"] = page.evaluate("window.__xss === undefined ? null : window.__xss")
            result["stats_after"] = page.evaluate("Object.assign({}, window.OSC.stats)")
            result["heat"] = page.evaluate("document.querySelectorAll('canvas.leaflet-heatmap-layer').length")
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot))
        finally:
            browser.close()
    result["outside"] = outside
    result["errors"] = errors
    return result


@pytest.mark.browser
@pytest.mark.django_db
def test_exported_dashboard_opens_offline_and_shows_the_map(cases, tmp_path):
    advisory_create(
        country_iso2="JP", admin1_code="32", level=Level.SPECIAL, valid_from=NOV_20, valid_to=NOV_20.replace(year=2027)
    )
    out = tmp_path / "dashboard.html"
    out.write_text(dashboard_build(f=filter_parse(PERIOD), export=True, at=NOV_20).html, encoding="utf-8")
    result = open_offline(out, ARTIFACTS / "maps-export-offline.png")
    assert result["errors"] == []
    assert result["outside"] == []
    assert result["stats"]["basemap"] > 200  # the offline base map (canvas)
    assert result["stats"]["choropleth"] == 2  # TH and JP
    assert result["clusters"] >= 1
    assert "Incidents (clustered)" in result["layers"] and "Travel advisories" in result["layers"]
    assert result["stats_after"]["advisories"] == 1  # the Osaka special advisory, drawn on its region
    assert result["stats_after"]["missions"] > 100
    assert result["heat"] == 1
    assert (ARTIFACTS / "maps-export-offline.png").stat().st_size > 10_000


@pytest.mark.browser
@pytest.mark.django_db
def test_script_in_case_place_or_labels_never_runs(operator, tmp_path):
    for _ in range(6):
        _case(
            operator,
            OSAKA,
            category="crime",
            severity=2,
            occurred=NOV_20,
            ack_min=3,
            location_text=XSS,
            summary=XSS[:200],
        )
    Mission.objects.filter(code="cg-jp-osaka").update(name_en=XSS, city=XSS)
    advisory_create(country_iso2="JP", level=Level.REFRAIN, valid_from=NOV_20, note=XSS)
    out = tmp_path / "xss.html"
    out.write_text(dashboard_build(f=filter_parse(PERIOD), export=True, at=NOV_20).html, encoding="utf-8")
    result = open_offline(out, ARTIFACTS / "maps-xss.png")
    assert result["errors"] == []
    assert result["xss"] is None and result["xss_after"] is None
    assert "<img" not in result["tooltip"] and "&lt;img" in result["tooltip"]
