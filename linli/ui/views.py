"""Sign-in and sign-out. Lockout after repeated failures is django-axes (see settings ``AXES_*``)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续多次输错将暂时锁定账号。"),
        "inactive": _("此账号已停用。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})


class LoginPage(auth_views.LoginView):
    template_name = "ui/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class LogoutPage(auth_views.LogoutView):
    pass
