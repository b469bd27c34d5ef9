from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "linli.org"
    label = "org"
    verbose_name = "组织与人员"

    def ready(self) -> None:
        from linli.org.permissions import is_staff_member
        from linli.ui.pages import staff_member_rule_set

        # staff pages refuse the accounts of instructors, volunteers and partner firms
        staff_member_rule_set(is_staff_member)
