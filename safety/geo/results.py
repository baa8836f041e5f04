"""The result type of the geocoders: one answer with its ranked candidates, as the API and `geocode` answer it."""

from dataclasses import dataclass, field
from typing import Any

from geopy.location import Location

SOURCE_OFFLINE = "offline"
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class GeocodeResult:
    """One answer of a geocoder, in the shape of the API and the `geocode` command."""

    query: str
    found: bool
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str = ""
    display_name: str = ""
    confidence: float = 0.0
    source: str = ""
    candidates: tuple["GeocodeResult", ...] = field(default=())
    # What was found ("place", "country", or a destination kind such as "island", "airport") and how
    # specific it is (landmark, place, island, admin2, admin1, country); words of the query matched by nothing.
    kind: str = ""
    level: str = ""
    unmatched: tuple[str, ...] = ()

    def as_dict(self, *, with_candidates: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {
            "query": self.query,
            "found": self.found,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "admin1": self.admin1,
            "display_name": self.display_name,
            "confidence": self.confidence,
            "source": self.source,
            "kind": self.kind,
        }
        if with_candidates:
            body["level"] = self.level
            body["unmatched"] = list(self.unmatched)
            body["candidates"] = [c.as_dict(with_candidates=False) for c in self.candidates[:MAX_CANDIDATES]]
        return body

    @classmethod
    def not_found(cls, query: str, *, source: str = "") -> "GeocodeResult":
        return cls(query=query, found=False, source=source)

    @classmethod
    def from_location(cls, query: str, location: Location) -> "GeocodeResult":
        raw = location.raw if isinstance(location.raw, dict) else {}
        return cls(
            query=query,
            found=True,
            lat=location.latitude,
            lon=location.longitude,
            country=raw.get("country"),
            admin1=raw.get("admin1", ""),
            display_name=location.address,
            confidence=float(raw.get("confidence", 0.0)),
            source=raw.get("source", SOURCE_OFFLINE),
            kind=raw.get("kind", "place"),
            level=raw.get("level", "place"),
        )
