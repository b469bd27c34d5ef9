"""Forms of the resident portal. They parse and check what a resident types; the services decide.

Every message is a Chinese msgid through gettext. A photo is checked by its
content (``linli.core.files``), never by its name. The submit form carries a
signed one-time token: sending the same form twice (a double tap, a reload)
answers with the first receipt instead of a second demand.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from linli.core.errors import BadAttachment
from linli.core.files import IMAGE_TYPES, check_image, max_photo_bytes
from linli.demands.services.intake import MAX_TEXT
from linli.demands.states import DemandType, Satisfaction
from linli.org.selectors import jurisdiction_list
from linli.ui.middleware import error_message

MOBILE = re.compile(r"^1[3-9]\d{9}$")
TOKEN_SALT = "linli.portal.submit"
HONEYPOT = "website"

# The portal's own wording of the types: a resident picks by what they want, not by the office term alone.
TYPE_CHOICES = [
    (DemandType.COMPLAINT.value, _("投诉：对某个问题不满，要求处理")),
    (DemandType.HELP.value, _("求助：遇到困难，需要帮助")),
    (DemandType.REPORT.value, _("举报：发现违法违规行为")),
    (DemandType.CONSULTATION.value, _("咨询：想了解政策或办事流程")),
    (DemandType.SUGGESTION.value, _("建议：对工作提出建议")),
    (DemandType.PRAISE.value, _("表扬：表扬好人好事")),
]
SATISFACTION_CHOICES = [
    (Satisfaction.SATISFIED.value, _("满意")),
    (Satisfaction.BASICALLY.value, _("基本满意")),
    (Satisfaction.UNSATISFIED.value, _("不满意")),
]
RESOLVED_CHOICES = [("yes", _("已解决")), ("no", _("未解决"))]


def new_form_token() -> str:
    return signing.dumps(secrets.token_urlsafe(18), salt=TOKEN_SALT)


def form_token_valid(token: str) -> bool:
    try:
        signing.loads(token or "", salt=TOKEN_SALT)
    except signing.BadSignature:
        return False
    return True


def normalise_phone(value: str) -> str:
    """A mobile number as typed on a phone: spaces, dashes and a +86 prefix are dropped."""
    digits = re.sub(r"[\s\-()（）]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def community_choices() -> list:
    """Communities and villages grouped under their street or township, in the order of the tree."""
    rows = (
        jurisdiction_list()
        .filter(level__in=("community", "village"))
        .select_related("parent")
        .order_by("path")
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        groups.setdefault(row.parent.name if row.parent_id else "", []).append((str(row.pk), row.name))
    choices: list = [("", _("— 不清楚 —"))]
    for street, items in groups.items():
        if street:
            choices.append((street, items))
        else:
            choices.extend(items)
    return choices


class SubmitForm(forms.Form):
    demand_type = forms.ChoiceField(
        label=_("您要反映的是"),
        choices=TYPE_CHOICES,
        initial=DemandType.COMPLAINT.value,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("问题描述"),
        max_length=MAX_TEXT,
        help_text=_("请说明发生了什么、在哪里、持续多久，以及希望怎样解决。"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写问题描述")},
    )
    address = forms.CharField(
        label=_("地点"),
        required=False,
        max_length=200,
        help_text=_("例如：金榕路1号小区东门"),
    )
    community = forms.ChoiceField(label=_("所在社区/村"), required=False, choices=())
    # set by tapping the map (hidden inputs); empty when the resident did not pick a point
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        help_text=_("用于查询进度和回访，不会公开。"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
        error_messages={"required": _("请填写手机号")},
    )
    name = forms.CharField(
        label=_("称呼（可不填）"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    photo = forms.FileField(
        label=_("照片（可不传）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMAGE_TYPES)}),
    )
    # Hidden from people by CSS; a bot that fills every field fills this one too.
    website = forms.CharField(
        label=_("网址（请勿填写）"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = community_choices()
        limit_mb = f"{max_photo_bytes() / (1024 * 1024):g}"
        self.fields["photo"].help_text = _("JPEG、PNG 或 WebP 格式，不超过 %(mb)s MB。") % {"mb": limit_mb}
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())

    def clean_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["phone"])
        if not MOBILE.match(phone):
            raise forms.ValidationError(_("请输入11位手机号，例如 13812345678"), code="phone")
        return phone

    def clean_community(self) -> int | None:
        value = self.cleaned_data.get("community")
        return int(value) if value else None

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        try:
            check_image(photo)
        except BadAttachment as exc:
            raise forms.ValidationError(error_message(exc), code=exc.code) from None
        return photo

    def clean_form_token(self) -> str:
        token = self.cleaned_data.get("form_token", "")
        if not form_token_valid(token):
            # A new token, so that the next press of the button goes through; what was typed stays.
            data = self.data.copy()
            data["form_token"] = new_form_token()
            self.data = data
            raise forms.ValidationError(_("表单已失效，请核对后再提交一次。"), code="token")
        return token

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("受理编号"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": _("请填写受理编号")},
    )
    phone_last4 = forms.RegexField(
        label=_("手机号后四位"),
        regex=r"^\d{4}$",
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("请填写手机号后四位"), "invalid": _("请输入4位数字")},
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class RatingForm(TrackForm):
    resolved = forms.ChoiceField(
        label=_("问题解决了吗"),
        choices=RESOLVED_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择是否已解决")},
    )
    satisfaction = forms.ChoiceField(
        label=_("您对办理结果满意吗"),
        choices=SATISFACTION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意程度")},
    )
    note = forms.CharField(
        label=_("还想说的（可不填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = forms.HiddenInput()
        self.fields["phone_last4"].widget = forms.HiddenInput()
