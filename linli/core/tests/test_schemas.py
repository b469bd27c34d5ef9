"""ErrorMap: typed errors grouped by status, for ninja's ``response=`` and the codes in openapi.json."""

from linli.core.errors import Conflict, NotFound, ValidationFailed
from linli.core.schemas import READ, WRITE, ErrorMap, ErrorOut


class GoneAway(NotFound):
    code = "test.gone_away"


def test_an_error_map_groups_codes_by_status_and_describes_them():
    errors = READ(GoneAway, Conflict, ValidationFailed)
    assert errors.codes == {
        401: ("auth.required",),
        404: ("test.gone_away",),
        409: ("conflict",),
        422: ("request.invalid",),  # ValidationFailed and the API's own 422 are one code
    }
    assert errors.responses == {frozenset({401, 404, 409, 422}): ErrorOut}
    assert errors.openapi["responses"][404] == {"description": "Not Found: `test.gone_away`"}
    assert errors.openapi["responses"][422] == {"description": "Unprocessable Entity: `request.invalid`"}


def test_maps_combine_and_an_empty_map_adds_nothing():
    assert set(WRITE.codes) == {400, 401, 403, 413, 422}
    assert (READ | ErrorMap(GoneAway)).pairs() == READ(GoneAway).pairs()
    assert ErrorMap().responses == {} and ErrorMap().openapi == {"responses": {}}


def test_an_undeclared_error_fails_the_app_tests():
    import pytest

    from linli.core.tests.error_maps import check_declared, declared

    assert "access.no_target" in declared("POST", "/api/v1/access/requests")[422]
    assert declared("GET", "/api/v1/no/such/path") is None
    check_declared(
        "POST", "/api/v1/access/tasks/7/refuse", 409, b'{"code": "access.task_transition_not_allowed"}'
    )
    with pytest.raises(AssertionError, match="does not declare"):
        check_declared("POST", "/api/v1/access/tasks/7/refuse", 409, b'{"code": "access.already_decided"}')
