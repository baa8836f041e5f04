"""Crisis mode: declared events, one record per affected person, family inquiries and live counts."""
