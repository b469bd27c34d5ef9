from linli.core.tests.error_maps import errors_declared_fixture

# Every error a /api/v1/visits/ endpoint answers in these tests is one its error map declares.
_errors_are_declared = errors_declared_fixture("/api/v1/visits/")
