"""Forms of the 每月一题 pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.demands.views.forms import UnitField
from linli.org.selectors import unit_list


class UnitsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=unit_list().order_by("kind", "code"), **kwargs)

    def label_from_instance(self, obj):
        return obj.name


def _ids(raw: str) -> list[int]:
    parts = [x.strip() for x in (raw or "").replace("，", ",").split(",") if x.strip()]
    if not all(x.isdigit() for x in parts) or len(parts) > 500:
        raise forms.ValidationError(_("诉求范围有误，请从热点问题页面重新进入"))
    return [int(x) for x in parts]


class TopicForm(forms.Form):
    title = forms.CharField(label=_("题目"), max_length=120)
    place = forms.CharField(label=_("地点"), max_length=60, required=False)
    lead_unit = UnitField(label=_("牵头单位"), empty_label=_("请选择"))
    assisting_units = UnitsField(
        label=_("协办单位"), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    meeting = forms.CharField(
        label=_("联席会议"), max_length=200, required=False, help_text=_("如已召开：日期、名称或文号")
    )
    terms = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    ids = forms.CharField(required=False, max_length=8000, widget=forms.HiddenInput)
    area = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_ids(self) -> list[int]:
        return _ids(self.cleaned_data.get("ids") or "")


class TopicUnitsForm(forms.Form):
    lead_unit = UnitField(label=_("牵头单位"), empty_label=_("请选择"))
    assisting_units = UnitsField(
        label=_("协办单位"), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TopicDemandsForm(forms.Form):
    codes = forms.CharField(label=_("关联诉求编号"), max_length=2000, help_text=_("多个编号用逗号或空格分开"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TopicMeetingForm(forms.Form):
    meeting = forms.CharField(label=_("联席会议"), max_length=200, help_text=_("日期、名称或文号"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TopicCloseForm(forms.Form):
    outcome = forms.CharField(label=_("办理结果"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TopicReopenForm(forms.Form):
    note = forms.CharField(
        label=_("重新推进的原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
