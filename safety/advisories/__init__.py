"""Travel advisories of the ministry: four levels and the special advisory, per country or admin-1."""
