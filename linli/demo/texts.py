"""Words of the demo: slot fillers, reasons, spam, residents' names and phone numbers. All invented."""

from __future__ import annotations

import random
import re

from linli.demo.data import replies

SINCE = ("最近一个月", "这两周", "今年以来", "从上个月开始", "这段时间", "近半年来")
ASK = (
    "希望有关部门尽快处理。",
    "请相关部门管一管。",
    "请尽快派人来看看。",
    "希望能给个答复。",
    "麻烦尽快解决，谢谢！",
    "希望能彻底解决。",
    "请12345帮忙协调。",
)
SCHOOL_GATES = ("南门", "北门", "东侧路口")
SURNAMES = "陈林黄郑王李张吴刘蔡杨许叶周徐何曾苏潘罗谢魏"
PHONE_PREFIXES = (
    "139",
    "138",
    "137",
    "136",
    "135",
    "159",
    "158",
    "152",
    "188",
    "187",
    "186",
    "183",
    "177",
    "199",
)

# Advertising and prank contacts: no real phone numbers, only invented account names.
SPAM = (
    "【限时优惠】专业代办各类证件资质，包过包拿证，加微信 daiban{n} 咨询。",
    "低息贷款，无抵押当天放款，额度高利息低，有意者加微信 kuaidai{n}。",
    "本店开业大酬宾，全场五折，扫码进群领红包，先到先得！",
    "高薪招聘日结兼职，在家用手机刷单日赚三百，详询客服 job{n}。",
    "专业清洗油烟机、疏通下水道，上门服务价格实惠，搜索“{n}家政”预约。",
    "炒股跟我做，稳赚不赔，月收益百分之三十，加群 gupiao{n} 领取内参。",
)
PRANKS = (
    "来电人未说明具体诉求，反复询问话务员个人信息后挂断。",
    "来电人接通后长时间不说话，随后挂断，无实质诉求内容。",
    "来电人酒后来电胡言乱语，无法记录有效诉求。",
)
INVALID_REASONS = {
    True: "内容为广告推销信息，按无效工单处理。",
    False: "来电无实质诉求内容，按无效工单处理。",
}
WITHDRAW_REASONS = (
    "诉求人来电表示问题已自行解决，申请撤销。",
    "诉求人表示与本件内容重复提交，申请撤销。",
    "当事双方已自行协商解决，诉求人申请撤销。",
)
RETURN_REASON = "经核实，该诉求反映的是“{leaf}”问题，属于{right}职责，不属于本单位办理范围，申请退回改派。"
RETURN_REJECT = "经核实，该事项属于本单位职责范围，请继续办理，不予退回。"
EXTENSION_REASONS = (
    "需协调多个部门现场会商，申请延期{days}个工作日。",
    "整改涉及施工采购程序，申请延期{days}个工作日。",
    "需等待第三方检测结果，申请延期{days}个工作日。",
    "当事人多次联系未果，需进一步调查取证，申请延期{days}个工作日。",
)
EXTENSION_APPROVE = ("情况属实，同意延期，请按期办结。", "同意延期，请加强跟踪。")
EXTENSION_REJECT = ("理由不充分，不同意延期，请按期办结。",)
ESCALATIONS = (
    "群众多次来电反映，请主办单位加快办理。",
    "该问题为辖区热点，请主办单位加大整治力度并及时反馈。",
    "领导批示：请限期解决，并报送办理结果。",
)
HOTSPOT_ESCALATION = "协调机制办公室督办：学校周边交通和摊贩问题已列入联席会议议题，请各单位按分工落实。"
ASSIST_REPLIES = (
    "{unit}已按要求派员参与现场处置，配合主办单位完成整改。",
    "{unit}已配合开展联合执法，相关情况已反馈主办单位。",
    "{unit}已安排人员在高峰时段值守，协助做好疏导工作。",
)
SCHOOL_GATE_ASSIST = {
    "JW-CG": "蕉湾区城管局已在早晚上下学时段安排队员巡查，劝离校门口流动摊贩。",
    "JW-SY2": "第二实验学校已实行分年级错峰放学，并组织家长志愿者参与护学岗。",
    "BUS": "公交集团已调整途经学府路班次的发车时间，高峰时段增派站务员引导。",
}
CALLBACK_NOTES = {
    "satisfied": ("群众表示问题已解决，对处理结果满意。", "群众表示处理及时，非常满意。"),
    "basically": ("群众表示基本解决，希望持续关注。", "群众表示问题有所改善，基本满意。"),
    "unsatisfied": ("群众表示问题仍未解决，现场没有变化。", "群众对答复不认可，表示不满意。"),
    "": ("群众表示已解决，不愿评价。",),
}
REOPEN_REASON = "回访群众表示问题仍未解决，要求重新办理。"
CLOSE_NOTES = ("已回访，归档。", "回访完成，准予归档。")
CLOSE_UNREACHED = "三次回访电话均未接通，按规定归档。"
CLOSE_NO_CALLBACK = "诉求人受理时表示无需回访，办结后直接归档。"
CLOSE_ANONYMOUS = "诉求人未留联系方式，无法回访，办结后直接归档。"
INTAKE_HELP_ANSWER = "已向来电人解释相关政策，并告知办理渠道和所需材料。"
REDISPATCH = "原承办单位退回（{reason}），按派单目录改派。"
MERGE_NOTE = "同一地点同一问题重复反映，并入主单统一办理。"
HOTSPOT_INSTRUCTIONS = "请交警大队牵头，会同城管、第二实验学校、公交集团按联席会议机制联合处置。"
JOINT_INSTRUCTIONS = "请主办单位牵头，协办单位配合，联合处置并及时反馈。"

_CHOICE = re.compile(r"\[([^\]]+)\]")


def render(text: str, rng: random.Random, **slots: str) -> str:
    """Pick one option of every ``[a|b|c]`` and fill the ``{slot}`` fields."""
    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    return text.format_map(slots)


def reply_text(rng: random.Random, *, leaf, phase: str, unit: str, place: str) -> str:
    """The lead unit's reply: the leaf's own text (per phase for a hotspot), else its second-level one."""
    table = replies()
    for key in ((leaf.path, phase), (leaf.path, ""), (leaf.level2, ""), (leaf.level1, "")):
        if key[0] and key in table:
            return render(rng.choice(table[key]), rng, unit=unit, place=place)
    return f"{unit}已按职责办理完毕，并向诉求人反馈。"


def resident_pool(rng: random.Random, size: int) -> list[tuple[str, str]]:
    """``size`` invented residents as (phone, name); a quarter leave no name."""
    phones: set[str] = set()
    pool = []
    while len(pool) < size:
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if phone in phones:
            continue
        phones.add(phone)
        name = "" if rng.random() < 0.25 else rng.choice(SURNAMES) + rng.choice(("先生", "女士"))
        pool.append((phone, name))
    return pool
