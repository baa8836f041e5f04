"""The project's routes plus one API route and one page that fail: the 500 handlers are tested on them."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from safety.urls import handler400, handler403, handler404, handler500  # noqa: F401 - the handlers of this urlconf
from safety.urls import urlpatterns as project_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom: an unhandled error in a view")


urlpatterns = [path("api/boom/", boom), path("boom/", boom), *project_urlpatterns]
