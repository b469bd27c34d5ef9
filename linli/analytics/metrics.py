"""The figures, their labels and their formulas: one table.

The default formulas are those of the brief (section 3). Every figure is a
cohort by registration day: it counts the demands *registered* in the period
(local date, Asia/Shanghai) together with all their assignments and
callbacks, whenever those happened. A callback made in May on a demand
registered in April changes April's figures.

A city may relabel a figure or reword its formula text through the setting
``LINLI_METRIC_TEXTS``, e.g. ``{"response_rate": {"label": "签收率"}}``. The
numerator and denominator themselves are fixed here, so the text shown next
to a figure and the numbers behind it cannot drift apart by configuration.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings

COHORT_ZH = "统计期内受理的诉求"
COHORT_EN = "demands registered in the period"


@dataclass(frozen=True)
class Rate:
    numerator: str  # a counter of the rollup table named by ``source``
    denominator: str
    source: str  # "demand" (DemandDayStat) or "assignment" (AssignmentDayStat)
    label: str
    label_en: str
    formula: str
    formula_en: str


RATES: dict[str, Rate] = {
    "response_rate": Rate(
        "signed_on_time",
        "dispatched",
        "assignment",
        "响应率",
        "Response rate",
        f"按时签收的派单数 / 应签收的派单数（{COHORT_ZH}的派单，含协办单位：已签收的、过了签收时限仍未签收的、"
        "被退回的；尚未到签收时限的待签收派单，以及在签收时限前未签收就撤回的派单（改派、归档、合并）不计）",
        f"assignments signed before the sign deadline / assignments due for a response (assignments of the "
        f"{COHORT_EN}, lead and assisting: signed, still unsigned when the sign deadline passed, or returned; an "
        "assignment still waiting before its sign deadline, and one withdrawn unsigned before its sign deadline by a "
        "re-dispatch, an archive or a merge, are left out)",
    ),
    "resolution_rate": Rate(
        "callbacks_resolved",
        "callbacks",
        "demand",
        "解决率",
        "Resolution rate",
        f"回访答复“已解决”的次数 / 回访总次数（{COHORT_ZH}的全部回访，重办前后的回访各计一次）",
        f'callbacks answered "resolved" / callbacks done (every callback of the {COHORT_EN}; '
        "a reopened demand's callbacks each count)",
    ),
    "satisfaction_rate": Rate(
        "callbacks_satisfied",
        "callbacks_rated",
        "demand",
        "满意率",
        "Satisfaction rate",
        f"（满意 + 基本满意）的回访数 / 有满意度评价的回访数（{COHORT_ZH}的全部回访）",
        f"callbacks rated satisfied or basically satisfied / callbacks with a rating (every callback of the {COHORT_EN})",
    ),
    "on_time_rate": Rate(
        "finished_on_time",
        "finished",
        "demand",
        "按时办结率",
        "On-time rate",
        f"按时办结的诉求数 / 已办结的诉求数（{COHORT_ZH}中主办单位至少办结反馈过一次的，不含直接办结）。"
        "办结时限含经批准的延期；重办的诉求每次办结都须在当时的时限内，任何一次超时即计为未按时，"
        "重办不会把它移出分母",
        f"demands finished on time / demands finished ({COHORT_EN} that the lead unit replied to at least once; "
        "demands resolved at intake are left out). The finish deadline includes approved extensions; a reopened "
        "demand is on time only if every reply met the deadline in force then, and a reopen never takes it out of "
        "the denominator",
    ),
    "first_contact_resolution_rate": Rate(
        "resolved_first_contact",
        "resolved",
        "demand",
        "一次性解决率",
        "First-contact resolution",
        f"未经重办即解决的诉求数 / 已解决的诉求数（{COHORT_ZH}中已归档且结果为已解决的，含直接办结）",
        f"demands resolved without a reopen / demands resolved ({COHORT_EN} that are closed as resolved, "
        "including those resolved at intake)",
    ),
    "community_level_resolution_rate": Rate(
        "resolved_grassroots",
        "resolved",
        "demand",
        "化解在村(社区)率",
        "Resolved at village/community level",
        f"由村(社区)委员会或街道(乡镇)办理并解决的诉求数 / 已解决的诉求数（{COHORT_ZH}中已归档且结果为已解决的，"
        "含直接办结）。办理单位：派单办理的为主办单位；直接办结的为答复人员所在单位（社区、街道工作人员当场答复的计入，"
        "热线等其他人员答复的不计入分子）。区域和全市的数字等于各办理单位之和",
        f"resolved demands handled by a village or community committee or a street office / demands resolved "
        f"({COHORT_EN} that are closed as resolved, including those resolved at intake). The handling unit is the "
        "lead unit of a dispatched demand, and for a demand resolved at intake the unit of the worker who answered "
        "it (a community or street worker's answer counts, one by hotline or other staff does not). An area's and "
        "the city's figures are the sums of their handling units'",
    ),
}

_TEXT_FIELDS = ("label", "label_en", "formula", "formula_en")


def rate_definitions() -> dict[str, dict[str, str]]:
    """Every figure's definition, with the city's text overrides from ``LINLI_METRIC_TEXTS`` applied."""
    overrides = getattr(settings, "LINLI_METRIC_TEXTS", {}) or {}
    out = {}
    for key, rate in RATES.items():
        row = asdict(rate)
        row.update({k: v for k, v in (overrides.get(key) or {}).items() if k in _TEXT_FIELDS})
        out[key] = row
    return out


def rate_value(numerator: int, denominator: int) -> float | None:
    """The rate rounded to four places; None when nothing was counted."""
    return round(numerator / denominator, 4) if denominator else None
