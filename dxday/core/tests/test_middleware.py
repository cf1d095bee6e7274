"""Pages turn a DomainError into its sentence, and NotFound into Django's plain 404."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from dxday.core.errors import DomainError, NotFound
from dxday.core.middleware import DomainErrorMiddleware, domain_errors


def _request(path="/trang/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.actor = None
    return request


def test_not_found_becomes_a_plain_404():
    middleware = DomainErrorMiddleware(lambda r: None)
    with pytest.raises(Http404):
        middleware.process_exception(_request(), NotFound())


@pytest.mark.django_db
def test_domain_error_shows_its_sentence_with_its_status():
    middleware = DomainErrorMiddleware(lambda r: None)
    error = DomainError("Hạn nộp đã qua.", code="deadline_passed", status=409)
    response = middleware.process_exception(_request(), error)
    assert response.status_code == 409
    assert "Hạn nộp đã qua." in response.content.decode()


def test_api_paths_are_left_to_the_api_handler():
    middleware = DomainErrorMiddleware(lambda r: None)
    assert middleware.process_exception(_request("/api/v1/x"), NotFound()) is None


@pytest.mark.django_db
def test_decorator_does_the_same_for_one_view():
    @domain_errors
    def view(request):
        raise DomainError("Vai trò của bạn không được phép.", code="forbidden", status=403)

    response = view(_request())
    assert response.status_code == 403

    @domain_errors
    def missing(request):
        raise NotFound()

    with pytest.raises(Http404):
        missing(_request())
