"""Errors of the missions app, with stable codes."""

from safety.errors import ApplicationError


class DistrictAreaInvalid(ApplicationError):
    code = "district_area_invalid"
