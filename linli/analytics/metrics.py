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
        f"按时签收的派单数 / 派单总数（{COHORT_ZH}的全部派单，含协办单位和改派撤回的派单）",
        f"assignments signed before the sign deadline / assignments dispatched (every assignment of the {COHORT_EN}, "
        "lead and assisting, including assignments withdrawn by a re-dispatch)",
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
        f"在办结时限内办结的诉求数 / 已办结的诉求数（{COHORT_ZH}中经派单办理并已办结反馈的；"
        "不含直接办结的诉求，重办中的诉求待再次办结后计入）",
        f"demands finished before the finish deadline / demands finished ({COHORT_EN} that were dispatched and "
        "replied by the lead unit; demands resolved at intake are left out, a reopened demand counts again once replied)",
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
        f"主办单位为村(社区)委员会或街道(乡镇)的已解决诉求数 / 已解决的诉求数（{COHORT_ZH}中已归档且结果为已解决的，"
        "含直接办结）",
        f"resolved demands whose lead unit is a village or community committee or a street office / demands resolved "
        f"({COHORT_EN} that are closed as resolved, including those resolved at intake)",
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
