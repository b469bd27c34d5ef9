"""`linli rollup` and `linli metrics`: thin wrappers over the service and the selector."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from linli.analytics.models import DemandDayStat
from linli.analytics.tests.scenario import build


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_rollup_command_refreshes_and_reports(world):
    build(world)

    first = run("rollup")
    second = run("rollup")

    assert "重算天数 4" in first
    assert "事件 0，重算天数 0" in second
    assert DemandDayStat.objects.exists()
    assert "重算天数 36" in run("rollup", "--full")


def test_metrics_command_prints_json_for_an_area(story):
    result = json.loads(
        run("metrics", "--area", "350902101001", "--from", "2025-03-01", "--to", "2025-04-30")
    )

    assert result["scope"]["area"]["name"] == "金榕社区"
    assert result["counts"]["total"] == 9
    assert (
        result["rates"]["response_rate"]["numerator"],
        result["rates"]["response_rate"]["denominator"],
    ) == (8, 9)  # d9's CG assignment, withdrawn unsigned before its sign deadline, does not count


def test_metrics_command_for_a_unit_and_for_the_city(story):
    unit = json.loads(run("metrics", "--unit", "CG", "--from", "2025-03-01", "--to", "2025-04-30"))
    city = json.loads(run("metrics", "--from", "2025-03-01", "--to", "2025-04-30"))

    assert unit["counts"]["total"] == 4
    assert city["counts"]["total"] == 11


@pytest.mark.parametrize(
    "args, message",
    [
        (["--area", "nowhere", "--from", "2025-03-01", "--to", "2025-03-31"], "org.unknown_jurisdiction"),
        (["--unit", "NOPE", "--from", "2025-03-01", "--to", "2025-03-31"], "org.unknown_unit"),
        (["--from", "2025-03-31", "--to", "2025-03-01"], "analytics.bad_period"),
        (["--from", "2025-3-1x", "--to", "2025-03-31"], "YYYY-MM-DD"),
        (
            ["--area", "350902", "--unit", "CG", "--from", "2025-03-01", "--to", "2025-03-31"],
            "analytics.bad_scope",
        ),
    ],
)
def test_metrics_command_refuses_bad_input(world, args, message):
    with pytest.raises(CommandError, match=message):
        run("metrics", *args)
