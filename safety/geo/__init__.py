"""Geography kernel: countries, the gazetteer, geocoding and reverse lookup."""
