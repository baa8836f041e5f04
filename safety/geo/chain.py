"""The geocoder chain of the settings: offline first, then geopy geocoders by name, rate-limited and cached."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.location import Location

from safety.geo.geocoding import SOURCE_OFFLINE, GeocodeResult, OfflineGeocoder, normalize
from safety.geo.models import GeocodeCacheEntry
from safety.geo.reverse import reverse_lookup

logger = logging.getLogger("safety.geo.chain")

# An offline answer at least this confident is final; below it the online providers are asked too.
ACCEPT_CONFIDENCE = 0.6
# Online answers carry no confidence of their own; this is what a provider's first hit is worth.
ONLINE_CONFIDENCE = 0.7


@dataclass(frozen=True)
class ChainResult:
    """The best result, and the providers that failed on the way (timed out, down, refused)."""

    result: GeocodeResult
    failed_providers: tuple[str, ...] = field(default=())

    @property
    def provider_failed(self) -> bool:
        return bool(self.failed_providers)


@dataclass
class _Provider:
    name: str
    call: Callable[..., Any]


def _provider_kwargs(name: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"timeout": settings.GEOCODER_TIMEOUT_S, "user_agent": settings.GEOCODER_USER_AGENT}
    if name == "nominatim":
        kwargs["domain"] = settings.GEOCODER_NOMINATIM_DOMAIN
        kwargs["scheme"] = settings.GEOCODER_NOMINATIM_SCHEME
    extra: dict[str, dict[str, Any]] = getattr(settings, "GEOCODER_OPTIONS", {})
    kwargs.update(extra.get(name, {}))
    return kwargs


@lru_cache(maxsize=16)
def _online_provider(name: str, chain_key: str) -> _Provider:
    """A geopy geocoder by service name, behind geopy's RateLimiter (one instance per process and settings)."""
    geocoder_class = get_geocoder_for_service(name)
    geocoder = geocoder_class(**_provider_kwargs(name))
    limited = RateLimiter(
        geocoder.geocode,
        min_delay_seconds=settings.GEOCODER_MIN_DELAY_S,
        max_retries=0,
        swallow_exceptions=False,
    )
    return _Provider(name, limited)


@lru_cache(maxsize=1)
def _offline() -> OfflineGeocoder:
    # One instance per process: geopy's Geocoder.__init__ builds an HTTP adapter (an SSL context), ~100 ms.
    return OfflineGeocoder()


def providers_reset() -> None:
    """Forget the provider instances (after a settings change, in tests)."""
    _online_provider.cache_clear()


def _chain_key() -> str:
    return "|".join(
        [
            ",".join(settings.GEOCODER_CHAIN),
            str(settings.GEOCODER_NOMINATIM_DOMAIN),
            str(settings.GEOCODER_NOMINATIM_SCHEME),
            str(settings.GEOCODER_TIMEOUT_S),
        ]
    )


def _cached(provider: str, key: str) -> GeocodeResult | None:
    entry = GeocodeCacheEntry.objects.filter(provider=provider, query=key).first()
    if entry is None:
        return None
    if not entry.found:
        return GeocodeResult.not_found("", source=provider)
    return GeocodeResult(**{k: v for k, v in entry.result.items() if k != "candidates"})


def _remember(provider: str, key: str, result: GeocodeResult) -> None:
    try:
        with transaction.atomic():
            GeocodeCacheEntry.objects.create(
                provider=provider,
                query=key,
                found=result.found,
                result=result.as_dict(with_candidates=False) if result.found else {},
            )
    except IntegrityError:
        pass  # another request remembered the same answer first


def _from_online(query: str, provider: str, location: Location) -> GeocodeResult:
    lat, lon = float(location.latitude), float(location.longitude)
    where = reverse_lookup(lat=lat, lon=lon)
    return GeocodeResult(
        query=query,
        found=True,
        lat=round(lat, 6),
        lon=round(lon, 6),
        country=where.country,
        admin1=where.admin1,
        display_name=str(location.address)[:300],
        confidence=ONLINE_CONFIDENCE,
        source=provider,
    )


def geocode(query: str, *, country_hint: str | None = None) -> ChainResult:
    """Geocode through the configured chain; never raises for a provider that is down.

    Offline first. If its answer is missing or below ACCEPT_CONFIDENCE, each online provider
    is asked in turn (cached in the database per provider and normalised query, found or not);
    a provider that times out or fails is logged and skipped, and named in `failed_providers`.
    """
    offline = _offline().lookup(query, country_hint=country_hint)
    best = offline
    failed: list[str] = []
    if offline.found and offline.confidence >= ACCEPT_CONFIDENCE:
        return ChainResult(offline)
    key = normalize(query)[:300] + (f"|{country_hint.upper()}" if country_hint else "")
    for name in settings.GEOCODER_CHAIN:
        if name == SOURCE_OFFLINE or not key:
            continue
        cached = _cached(name, key)
        if cached is not None:
            if cached.found:
                return ChainResult(replace(cached, query=query, candidates=(replace(cached, query=query),)))
            continue
        try:
            provider = _online_provider(name, _chain_key())
            kwargs: dict[str, Any] = {"exactly_one": True}
            if country_hint and name == "nominatim":
                kwargs["country_codes"] = country_hint.lower()
            location = provider.call(query, **kwargs)
        except GeopyError as exc:
            logger.warning("geocoder provider %s is down or failing (%s: %s); skipped", name, type(exc).__name__, exc)
            failed.append(name)
            continue
        result = (
            _from_online(query, name, location) if location is not None else GeocodeResult.not_found(query, source=name)
        )
        _remember(name, key, result)
        if result.found:
            return ChainResult(replace(result, candidates=(result,)), tuple(failed))
    return ChainResult(best, tuple(failed))
