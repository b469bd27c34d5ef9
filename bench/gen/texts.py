"""What demands and replies say, the demand types and the channels."""

from __future__ import annotations

import unicodedata


def typed(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


ROADS = [
    "榕华路",
    "新华路",
    "人民路",
    "胜利街",
    "中山路",
    "建设路",
    "解放路",
    "滨江大道",
    "文化路",
    "学府路",
    "东环路",
    "北门街",
]
# Staff-typed text goes through clean_text, whose NFKC folds full-width punctuation ("，" → ","): typed() does the same.
ASKS = [
    "希望尽快处理。",
    "请相关部门核实处理。",
    "已反映多次，请尽快解决。",
    "影响居民正常生活，请协调解决。",
    "请给予答复。",
]
REPLIES = [
    "已现场核实并处理完毕，已告知诉求人。",
    "已协调相关单位整改，问题已解决。",
    "经核实情况属实，已责令限期整改。",
    "已向诉求人解释相关政策，诉求人表示理解。",
    "已安排人员维修，现已恢复正常。",
]
ASKS, REPLIES = [typed(t) for t in ASKS], [typed(t) for t in REPLIES]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林"
TYPES = [
    ("consultation", 22),
    ("help", 25),
    ("complaint", 30),
    ("report", 8),
    ("suggestion", 12),
    ("praise", 3),
]
CHANNELS = [("hotline", 65), ("web", 18), ("night_visit", 7), ("walk_in", 5), ("open311", 3), ("import", 2)]
PUBLIC_CHANNELS = ("web", "open311")
