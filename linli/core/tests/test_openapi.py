"""The API contract is the committed openapi.json; a change to the code that alters it fails here."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from linli.api import api
from linli.core.management.commands.openapi import DEFAULT_OUTPUT, render_schema


def test_the_committed_openapi_json_matches_the_code():
    committed = json.loads(Path(DEFAULT_OUTPUT).read_text(encoding="utf-8"))
    generated = json.loads(json.dumps(api.get_openapi_schema()))
    assert generated == committed, "openapi.json is out of date: run `linli openapi` and commit the file"


def test_the_committed_file_is_in_the_canonical_form():
    assert Path(DEFAULT_OUTPUT).read_text(encoding="utf-8") == render_schema(api)


def test_every_operation_has_a_chinese_and_english_summary_and_staff_ones_need_auth():
    paths = api.get_openapi_schema()["paths"]
    operations = [op for item in paths.values() for op in item.values()]
    assert len(operations) >= 25
    for op in operations:
        zh, _, en = op["summary"].partition(" / ")
        assert zh and en, op["summary"]
    assert "/api/v1/extensions/{extension_id}/decide" in paths
    assert "security" not in paths["/api/v1/public/demands"]["post"]
    assert paths["/api/v1/demands"]["get"]["security"] == [
        {"BearerTokenAuth": []},
        {"BrowserSessionAuth": []},
    ]


def test_the_command_writes_and_checks(tmp_path):
    target = tmp_path / "openapi.json"
    call_command("openapi", output=str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["info"]["title"] == "邻里 Linli API"
    call_command("openapi", "--check", output=str(target))
    target.write_text(target.read_text(encoding="utf-8").replace("派单", "分派"), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("openapi", "--check", output=str(target))


def test_every_json_answer_has_a_schema_and_every_error_its_codes():
    """No operation answers a bare object (``{}`` in openapi.json hid output changes from the drift test), and
    access and visits list, per status, the stable codes each endpoint can answer."""
    paths = api.get_openapi_schema()["paths"]
    checked = 0
    for path, item in paths.items():
        for method, op in item.items():
            for status, answer in op["responses"].items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema")
                if schema is None:  # a file download (the XLSX export)
                    continue
                assert "$ref" in schema or schema.get("type") == "array" or "properties" in schema, (
                    f"{method} {path} {status} answers an undescribed object"
                )
                if path.startswith(("/api/v1/access/", "/api/v1/visits/")) and int(status) >= 400:
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}
                    assert "`" in answer["description"], f"{method} {path} {status} names no error code"
                    checked += 1
    assert checked >= 19 * 2  # 19 operations, each with at least 401 and 422


def test_schemas_sharing_a_component_name_are_the_same_shape():
    """openapi.json names components by class name: two different schemas of one name silently became one
    (access's DecisionIn once stood in for demands' in the return and extension decisions)."""
    from collections import defaultdict

    from ninja import Schema

    by_name = defaultdict(list)

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("linli."):
                by_name[sub.__name__].append(sub)
            walk(sub)

    walk(Schema)
    assert len(by_name) > 50
    for name, classes in by_name.items():
        shapes = {json.dumps(c.model_json_schema(), sort_keys=True) for c in classes}
        assert len(shapes) == 1, f"{name}: {[c.__module__ for c in classes]} differ"
