"""Forms of the access pages (labels in Chinese; the services validate again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.access.states import Decision, RequestKind
from linli.core.daterange import validate_sane_date
from linli.org.selectors import jurisdiction_list


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=RequestKind.choices, initial=RequestKind.TASK)
    title = forms.CharField(label=_("事项标题"), max_length=120)
    content = forms.CharField(label=_("具体内容"), widget=forms.Textarea(attrs={"rows": 4}))
    targets = forms.MultipleChoiceField(
        label=_("派发对象（可选整个街道/乡镇）"), widget=forms.CheckboxSelectMultiple, required=False
    )
    deadline = forms.DateField(
        label=_("完成期限"), widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_sane_date]
    )
    reports_required = forms.CharField(label=_("需报送的材料"), max_length=300, required=False)
    inspections_planned = forms.IntegerField(label=_("计划检查次数"), min_value=0, max_value=50, initial=0)
    funded = forms.BooleanField(label=_("随附工作经费（费随事转）"), required=False)
    plaque_name = forms.CharField(label=_("牌子名称（挂牌申请填写）"), max_length=80, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = jurisdiction_list().filter(level__in=["street", "community", "village"]).order_by("code")
        whole = _("（全部）")
        self.fields["targets"].choices = [
            (
                str(j.pk),
                f"{'　' if j.level != 'street' else ''}{j.name}{whole if j.level == 'street' else ''}",
            )
            for j in areas
        ]


class DecisionForm(forms.Form):
    # Radio buttons with none checked: the office picks a decision on purpose, never by leaving a default.
    decision = forms.ChoiceField(
        label=_("决定"), choices=[(v, _(label)) for v, label in Decision.choices], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
