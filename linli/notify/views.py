"""A staff member's own notification preferences: which channels, which addresses, which kinds muted."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from linli.core.errors import ApplicationError
from linli.notify.selectors import preference_get
from linli.notify.services import preference_set
from linli.notify.states import DEFAULT_TEMPLATES, Audience
from linli.ui.middleware import form_error
from linli.ui.pages import staff_page

# The staff reminders, as the person reads them (the template names in the admin are the office's own).
KIND_LABELS = {
    "staff.due_soon": _("24 小时内到期"),
    "staff.overdue": _("签收或办理已超期"),
    "staff.escalated": _("被督办"),
    "staff.return_decided": _("退单申请有结果"),
}
STAFF_KINDS = [
    (key, KIND_LABELS.get(key, name))
    for key, (audience, name, _body) in DEFAULT_TEMPLATES.items()
    if audience == Audience.STAFF
]


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("电子邮件（账号邮箱）"), required=False)
    sms = forms.BooleanField(label=_("短信"), required=False)
    phone = forms.CharField(label=_("接收短信的手机号"), max_length=20, required=False)
    wechat = forms.BooleanField(label=_("微信模板消息"), required=False)
    wechat_openid = forms.CharField(label=_("微信 OpenID"), max_length=64, required=False)
    webhook = forms.BooleanField(label=_("Webhook"), required=False)
    webhook_url = forms.URLField(label=_("Webhook 地址"), required=False, assume_scheme="https")
    receive = forms.MultipleChoiceField(
        label=_("接收哪些提醒"), choices=STAFF_KINDS, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("sms") and not data.get("phone"):
            self.add_error("phone", _("选择短信时请填写手机号"))
        if data.get("webhook") and not data.get("webhook_url"):
            self.add_error("webhook_url", _("选择 Webhook 时请填写地址"))
        return data


@staff_page()
def preferences(request):
    pref = preference_get(user=request.user)
    keys = [key for key, _name in STAFF_KINDS]
    initial = {"email": True, "receive": keys, "version": None}
    if pref:
        initial = {
            **{
                f: getattr(pref, f)
                for f in ("email", "sms", "phone", "wechat", "wechat_openid", "webhook", "webhook_url")
            },
            "receive": [k for k in keys if k not in (pref.muted or [])],
            "version": pref.version,
        }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {
            f: d[f] for f in ("email", "sms", "phone", "wechat", "wechat_openid", "webhook", "webhook_url")
        }
        try:
            preference_set(
                user=request.user,
                expected_version=d["version"],
                muted=[k for k in keys if k not in d["receive"]],
                **fields,
            )
        except ApplicationError as exc:
            form.add_error(None, form_error(exc))
        else:
            messages.success(request, _("通知设置已保存"))
            return redirect("notify:preferences")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "notify/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=status,
    )
