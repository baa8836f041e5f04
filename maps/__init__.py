"""Plenary dashboards: folium maps, aggregate figures and exports (reads only)."""
