"""Place names as people write them, folded to one key per place.

The same compound is written "a市伊景园滨河", "伊景园滨河小区", "伊景园滨河二期"
and "A市伊景园滨河小区(一期)"; hotspots group by place, so they must meet
under one key. ``mentions`` finds the places a text names (a compound, road,
school, village …) in the order written; ``place_key`` folds one of them:

- administrative prefixes go: the data set's placeholder codes (a市, a2区,
  A7县, J10 县) and named units written before the place (西地省, 星沙镇,
  泉塘街道, 长沙市 …), as long as a name is left;
- compound phases (一期, 二期, 6期, 二区 after a name) and bracketed asides go;
- a trailing generic word (小区, 社区, 片区, 一带, 附近) goes, so "伊景园滨河小区" and
  "伊景园滨河" are one place;
- characters people mix up in names (苑/园, 华/花, 庭/亭 …) are folded to one.

``merge_keys`` then joins keys that differ by one character (a typo) when the
longer one is at least four characters, keeping the commoner spelling.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from linli.dispatch.text import normalize

_SUFFIX = (
    "小区|花园|花苑|华苑|家园|公寓|大厦|广场|新城|新村|山庄|雅苑|名苑|名城|华府|华城|星城|苑|村|组|镇|乡|街道|社区|大道|路|街|巷"
    "|中学|小学|幼儿园|学校|学院|大学|医院|卫生院|市场|公园|工业园|园区|车站|火车站|码头|景区|水库|河|湖|工地|厂|桥"
    "|明珠|华庭|公馆|豪庭|名都|国际|时代|湾|府|郡|驾校|酒吧|ktv|加油站|搅拌站|搅拌厂|中转站|垃圾站|变电站|楼盘"
)
_CODE = r"[a-z]\d{0,2}\s?[省市区县]"
_MENTION = re.compile(rf"((?:{_CODE})*)([\u4e00-\u9fffa-z0-9]{{1,10}}?(?:{_SUFFIX})(?:{_SUFFIX})*)")
# Words that end a clause: a place starts after the last of them.
_CUT = re.compile(
    r".*(?:[的在和对于请将把从到是了与及向给被让有无为因关反映投诉问题建议咨询希望要求买卖现该我位旁边附近近处称住"
    r"们说如果直接造成影响保障严重离往或者尽管这那此个"
    r"，。、；：！？\s]|[a-z]\d{0,2}[市区县]|\d+号|拆除|修建|兴建|新建|增设|设置|开通|取缔|关闭|撤销|撤掉|人民|居民|业主|村民"
    r"|缓解|治理|整治|经过|通过|靠近|沿着|每天|早上|晚上|上午|下午|点半|点钟|雨天|个月|两周|以来|开始|这段时间|年来)"
)
_ADMIN = re.compile(
    rf"^(?:{_CODE}|[\u4e00-\u9fff]{{2,3}}省|[\u4e00-\u9fff]{{2,4}}街道|[\u4e00-\u9fff]{{2,3}}[镇乡](?!村|组)"
    r"|[\u4e00-\u9fff]{2}[市县区](?=[\u4e00-\u9fff]{3}))"
)
_PHASE = re.compile(
    r"[（(][^）)]{0,8}[）)]|第?[一二三四五六七八九十\d]{1,3}[期区栋]$|[一二三四五六七八九十\d]{1,3}期"
)
_TRAILING = re.compile(r"(?:小区|社区|片区|一带|附近|周边|区域|居民区|安置区|住宅区)$")
_FACILITY = re.compile(
    r"(?:旁边|旁|对面|门口|附近)?的?(?:垃圾站|垃圾中转站|中转站|搅拌站|搅拌厂|变电站|加油站|工地|停车场|门面|商铺)$"
)
_GENERIC = frozenset(
    "小区 村 镇 乡 路 街 巷 组 学校 医院 市场 公园 社区 街道 工地 厂 河 湖 桥 城 湾 府 里 农村 本村 我村 本小区 城区 市区 县城 "
    "中学 小学 大学 学院 幼儿园 公寓 马路 道路 公路 大街 新村 政府 乡镇 城乡 全市 全县 新城 广场 国际 时代 驾校 酒吧 楼盘 "
    "民营幼儿园 公办幼儿园 火车站 车站 加油站 垃圾站 中转站 变电站 搅拌站 该小区 此小区 整个小区 各小区 老小区 农村公路 乡村公路 "
    "来路 出路 道路 去路 一路 沿路 路上 "
    "村组 小组 本组 村民小组 居民小组 城市 都市 家园 花园 公馆 大道 高速公路 国道 省道 县道 乡道 村道".split()
)
# Characters that people write for one another in place names.
_FOLD = str.maketrans(
    {"园": "苑", "华": "花", "亭": "庭", "堤": "提", "城": "成", "阁": "格", "湾": "弯", "峰": "锋"}
)


def mentions(text: str) -> list[str]:
    """The places a text names, in order, each as written (placeholder codes kept; see ``place_key``)."""
    value = normalize(text)
    out: list[str] = []
    for match in _MENTION.finditer(value):
        codes, name = match.group(1) or "", match.group(2)
        if len(name) > 1:
            head = _CUT.sub("", name[:-1])
            name = head + name[-1]
        if len(name) < 2 or name in _GENERIC:
            continue
        out.append(f"{codes}{name}")
    return out


def place_key(name: str) -> str:
    """One key per place: prefixes, phases and generic tails dropped, look-alike characters folded."""
    value = normalize(name).replace(" ", "")
    while True:
        match = _ADMIN.match(value)
        if not match or len(value) - match.end() < 2:
            break
        value = value[match.end() :]
    stripped = _FACILITY.sub("", value)
    value = stripped if len(stripped) >= 3 else value
    for _ in range(2):
        value = _PHASE.sub("", value)
        stripped = _TRAILING.sub("", value)
        value = stripped if len(stripped) >= 2 else value
    if value in _GENERIC or len(value) < 2:
        return ""
    return value.translate(_FOLD)


def display_name(name: str) -> str:
    """A mention as it is shown: without its placeholder codes and administrative prefixes."""
    value = normalize(name).replace(" ", "")
    while True:
        match = _ADMIN.match(value)
        if not match or len(value) - match.end() < 2:
            break
        value = value[match.end() :]
    return value


_SUFFIX_TAIL = re.compile(rf"(?:{_SUFFIX})+$")


def stem(name: str) -> str:
    """The proper part of a place name: "a市伊景园滨河小区" -> "伊景园滨河", "海阔天空ktv" -> "海阔天空"."""
    shown = display_name(name)
    core = _SUFFIX_TAIL.sub("", shown)
    return core if len(core) >= 2 else ""


def keys_of(text: str, title: str = "", limit: int = 6) -> list[str]:
    """The distinct place keys of a message: the title's first, then the body's (at most ``limit``)."""
    out: list[str] = []
    for name in [*mentions(title), *mentions(text)]:
        key = place_key(name)
        if key and key not in out:
            out.append(key)
        if len(out) >= limit:
            break
    return out


def _neighbours(counts: Counter, min_len: int) -> dict[str, set[str]]:
    """Keys one substitution, insertion or deletion apart (both at least ``min_len`` long), by index, not pairs."""
    patterns: dict[str, list[str]] = {}
    for key in counts:
        if len(key) >= min_len:
            for i in range(len(key)):
                patterns.setdefault(f"{key[:i]}*{key[i + 1 :]}", []).append(key)
    out: dict[str, set[str]] = {}
    for group in patterns.values():
        for key in group:
            out.setdefault(key, set()).update(k for k in group if k != key)
    for key in counts:
        if len(key) > min_len:
            for i in range(len(key)):
                shorter = key[:i] + key[i + 1 :]
                if shorter in counts:
                    out.setdefault(key, set()).add(shorter)
                    out.setdefault(shorter, set()).add(key)
    return out


def merge_keys(counts: Counter, min_len: int = 4) -> dict[str, str]:
    """Key -> the key it is written for: keys one character apart (length ≥ ``min_len``) join the commoner one."""
    near = _neighbours(counts, min_len)
    target: dict[str, str] = {}
    roots: set[str] = set()
    for key in sorted(near, key=lambda k: (-counts[k], k)):
        if key in target:
            continue
        roots.add(key)
        for other in sorted(near[key]):
            if other not in target and other not in roots:
                target[other] = key
    return target


def canonical(keys: Iterable[str], merged: dict[str, str]) -> list[str]:
    out: list[str] = []
    for key in keys:
        key = merged.get(key, key)
        if key not in out:
            out.append(key)
    return out
