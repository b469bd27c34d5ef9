"""A staff member sets how they are told, on their own page; bad input is refused and changes nothing."""

from linli.notify.models import Preference


def test_set_channels_and_mute_a_kind(client, world):
    client.force_login(world.user("cg_handler"))
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200 and "通知设置" in page.content.decode()
    response = client.post(
        "/notifications/preferences/",
        {"sms": "on", "phone": "13700001111", "receive": ["staff.overdue", "staff.escalated"]},
    )
    assert response.status_code == 302
    pref = Preference.objects.get(user=world.user("cg_handler"))
    assert (pref.sms, pref.phone, pref.email) == (True, "13700001111", False)
    assert pref.muted == ["staff.due_soon", "staff.return_decided"]


def test_sms_without_a_phone_and_a_stale_form_change_nothing(client, world):
    client.force_login(world.user("cg_handler"))
    bad = client.post("/notifications/preferences/", {"sms": "on", "phone": ""})
    assert bad.status_code == 422 and not Preference.objects.exists()
    client.post("/notifications/preferences/", {"email": "on", "version": ""})
    stale = client.post("/notifications/preferences/", {"sms": "on", "phone": "13700002222", "version": "0"})
    assert stale.status_code == 422 and "conflict" in stale.content.decode()
    assert Preference.objects.get().sms is False
