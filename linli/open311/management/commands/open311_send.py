from django.core.management.base import BaseCommand, CommandError

from linli.core.errors import ApplicationError
from linli.demands.selectors import demand_id_for_code
from linli.open311.services import open311_outbound_sync, open311_send
from linli.org.selectors import staff_list


class Command(BaseCommand):
    help = (
        "把诉求转给另一个 Open311 系统：--endpoint 名称 --as 用户名 受理编号…；--sync 立即发送并查询进展 "
        "/ Send demands to another Open311 server; --sync sends and polls now"
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="受理编号 / Tracking codes")
        parser.add_argument("--endpoint", help="外部接口名称（后台配置）/ Remote endpoint name (admin)")
        parser.add_argument("--as", dest="username", help="以哪个派单员的身份 / Acting dispatcher or admin")
        parser.add_argument("--sync", action="store_true", help="立即发送并查询 / Send and poll now")

    def handle(self, *args, codes, endpoint, username, sync, **options):
        if codes:
            if not endpoint or not username:
                raise CommandError("需要 --endpoint 和 --as / --endpoint and --as are required")
            actor = staff_list().filter(username=username).first()
            if actor is None:
                raise CommandError(
                    f"找不到在用的工作人员账号：{username} / No active staff account {username}"
                )
            for code in codes:
                demand_id = demand_id_for_code(user=actor, code=code)
                if demand_id is None:
                    raise CommandError(f"找不到诉求 {code} / No demand {code}")
                try:
                    open311_send(actor=actor, demand_id=demand_id, endpoint_name=endpoint)
                except ApplicationError as exc:
                    raise CommandError(f"{code}: {exc.message_zh} / {exc.message_en}") from None
                self.stdout.write(f"{code} 已加入发送 / queued")
        if sync:
            counts = open311_outbound_sync()
            self.stdout.write(
                f"发送 {counts['sent']}，失败 {counts['failed']}，更新 {counts['updated']} / "
                f"sent {counts['sent']}, failed {counts['failed']}, updated {counts['updated']}"
            )
