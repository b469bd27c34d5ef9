"""Forms of the staff pages. They parse and check input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from linli.core.daterange import validate_sane_date
from linli.demands.states import DemandStatus, DemandType, Satisfaction, Urgency
from linli.dispatch.selectors import category_list
from linli.org.selectors import jurisdiction_list, unit_list

PHONE_PATTERN = r"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$"
YES_NO = [("yes", _("是")), ("no", _("否"))]
APPROVE = [("approve", _("同意")), ("reject", _("不同意"))]


def translated(choices) -> list:
    """Stored choice labels are Chinese strings; show them in the person's language."""
    return [(value, gettext_lazy(str(label))) for value, label in choices]


def _text(label, *, required=True, rows=4, max_length=4000, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CommunityField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        queryset = jurisdiction_list().filter(level__in=("community", "village")).order_by("path")
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


class UnitField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=unit_list().order_by("kind", "code"), **kwargs)

    def label_from_instance(self, obj):
        return obj.name


class CategoryField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=category_list().order_by("full_name"), **kwargs)

    def label_from_instance(self, obj):
        return obj.full_name


class IntakeForm(forms.Form):
    demand_type = forms.ChoiceField(
        label=_("诉求类型"), choices=translated(DemandType.choices), initial=DemandType.COMPLAINT
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"),
        choices=translated(Urgency.choices),
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    text = _text(_("诉求内容"), rows=6)
    title = forms.CharField(
        label=_("标题"), required=False, max_length=120, help_text=_("不填则取内容前30字")
    )
    address = forms.CharField(label=_("地址"), required=False, max_length=200)
    community = CommunityField(label=_("所属社区/村"), required=False, empty_label=_("— 未知 —"))
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    phone = forms.RegexField(
        label=_("来电号码"),
        regex=PHONE_PATTERN,
        required=False,
        max_length=20,
        error_messages={"invalid": _("请输入11位手机号或带区号的固定电话")},
    )
    name = forms.CharField(label=_("来电人姓名"), required=False, max_length=40)
    resolve_now = forms.BooleanField(label=_("当场答复办结（咨询类）"), required=False)
    answer = _text(_("答复内容"), required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs.update({"autofocus": True, "maxlength": 4000})
        self.fields["phone"].widget = forms.TextInput(attrs={"type": "tel", "inputmode": "tel"})

    def clean(self):
        data = super().clean()
        if data.get("resolve_now") and not (data.get("answer") or "").strip():
            self.add_error("answer", _("当场办结须填写答复内容"))
        return data


class VersionForm(forms.Form):
    """Every action form carries the version the person saw: a change in between is a clear conflict."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class AnswerForm(VersionForm):
    answer = _text(_("答复内容"))


class DispatchForm(VersionForm):
    lead_unit = UnitField(label=_("主办单位"))
    assisting_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=unit_list().order_by("kind", "code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("可多选；联合办理时选择"),
    )
    category = CategoryField(label=_("诉求分类"), required=False, empty_label=_("— 不变 —"))
    instructions = _text(_("派单意见"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the searchable picker of linli/demands/static/demands/desk.js (the plain selects work without it)
        for name in ("lead_unit", "assisting_units"):
            self.fields[name].widget.attrs.update(
                {
                    "data-unit-picker": "1",
                    "data-filter-placeholder": _("输入单位名称查找"),
                    "data-remove-label": _("移除"),
                }
            )

    def clean(self):
        data = super().clean()
        lead, assisting = data.get("lead_unit"), data.get("assisting_units") or []
        if lead and lead in assisting:
            self.add_error("assisting_units", _("主办单位不能同时是协办单位"))
        return data


class RedispatchForm(DispatchForm):
    instructions = _text(_("改派理由"), rows=2)


class ReasonForm(VersionForm):
    reason = _text(_("理由"), rows=3)


class DecisionForm(VersionForm):
    decision = forms.ChoiceField(label=_("审批意见"), choices=APPROVE, widget=forms.RadioSelect)
    note = _text(_("说明"), required=False, rows=2)


class ExtensionForm(VersionForm):
    days = forms.IntegerField(label=_("延期工作日数"), min_value=1, max_value=60)
    reason = _text(_("延期理由"), rows=3)


class ReplyForm(VersionForm):
    result = _text(_("办理结果"), rows=5, help_text=_("将作为答复告知群众"))


class CallbackForm(VersionForm):
    resolved = forms.ChoiceField(label=_("问题是否解决"), choices=YES_NO, widget=forms.RadioSelect)
    satisfaction = forms.ChoiceField(
        label=_("群众满意度"),
        choices=[("", _("群众未评价"))] + translated(Satisfaction.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    note = _text(_("回访记录"), required=False, rows=2)


class ReopenForm(VersionForm):
    reason = _text(_("重办理由"), rows=3)
    lead_unit = UnitField(label=_("重办单位"), required=False, empty_label=_("— 原主办单位 —"))


class CloseForm(VersionForm):
    note = _text(_("归档说明"), required=False, rows=2, help_text=_("未回访直接归档时必填"))


class MergeForm(VersionForm):
    master_code = forms.CharField(label=_("并入的诉求编号"), max_length=20)
    note = _text(_("说明"), required=False, rows=2)


class FilterForm(forms.Form):
    """The filters of the demand list; every field optional, bad values reported in place."""

    q = forms.CharField(label=_("关键词/编号"), required=False, max_length=100)
    status = forms.MultipleChoiceField(
        label=_("状态"),
        choices=translated(DemandStatus.choices),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "status-boxes"}),
    )
    unit = UnitField(label=_("承办单位"), required=False, empty_label=_("全部"))
    category = CategoryField(label=_("分类"), required=False, empty_label=_("全部"))
    community = CommunityField(label=_("社区/村"), required=False, empty_label=_("全部"))
    channel = forms.ChoiceField(label=_("渠道"), choices=[("", _("全部"))], required=False)
    date_from = forms.DateField(
        label=_("受理日期起"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_sane_date],
    )
    date_to = forms.DateField(
        label=_("受理日期止"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_sane_date],
    )
    overdue = forms.ChoiceField(label=_("超期"), choices=[("", _("全部"))] + YES_NO, required=False)
    # A hot issue's demands (the hotspot page links here with them): comma-separated ids, at most MAX_IDS.
    ids = forms.CharField(required=False, max_length=8000, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("-registered_at", _("受理时间 新→旧")),
            ("registered_at", _("受理时间 旧→新")),
            ("finish_due", _("办结时限 近→远")),
            ("-finish_due", _("办结时限 远→近")),
            ("code", _("编号")),
            ("status", _("状态")),
        ],
    )

    def __init__(self, *args, **kwargs):
        from linli.demands.states import Channel

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", _("全部"))] + translated(Channel.choices)

    MAX_IDS = 500

    def clean_ids(self) -> list[int]:
        raw = [x for x in (self.cleaned_data.get("ids") or "").replace("，", ",").split(",") if x.strip()]
        if not all(x.strip().isdigit() for x in raw) or len(raw) > self.MAX_IDS:
            raise forms.ValidationError(_("诉求范围有误，请从热点问题页面重新进入"))
        return [int(x) for x in raw]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data


class CallbackOutcomeForm(forms.Form):
    """The callback worklist's one-click outcome: a satisfaction level, or nobody answered the call."""

    outcome = forms.ChoiceField(
        label=_("回访结果"),
        choices=[
            ("satisfied", _("满意")),
            ("basically", _("基本满意")),
            ("unsatisfied", _("不满意")),
            ("unreachable", _("未接通")),
        ],
    )
    note = forms.CharField(label=_("回访记录"), required=False, max_length=500)


class ProgressForm(forms.Form):
    """A handler's progress note (办理进展); the files are read from the request (at most six)."""

    note = forms.CharField(label=_("办理进展"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(label=_("公开给群众"), required=False)
