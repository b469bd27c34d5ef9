"""``linli demo``: load the demo city and a year of demands, then print the logins."""

import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand

from linli.demands.states import Channel, DemandStatus, DemandType
from linli.demo.errors import DemoAlreadyLoaded
from linli.demo.scenario import DEMO_PASSWORD, demo_load, demo_logins


class Command(BaseCommand):
    help = "加载演示数据：宁川市两个区、各角色账号和近12个月约3000件诉求（固定随机种子）。"

    def add_arguments(self, parser):
        parser.add_argument("--demands", type=int, default=3000, help="诉求件数（默认 3000）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None, help="以哪一天为“今天”（YYYY-MM-DD）"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="先清空整个数据库（flush，连同数据迁移写入的行，如办理时限表，清空后按默认时限计算），再加载演示数据",
        )

    def handle(self, *args, demands, seed, today, reset, **options):
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("已清空数据库。")
        try:
            summary = demo_load(seed=seed, demands=demands, today=today)
        except DemoAlreadyLoaded as exc:
            self.stdout.write(self.style.WARNING(exc.message_zh))
        else:
            self._summary(summary)
        self._logins()

    def _summary(self, s: dict) -> None:
        w = self.stdout.write
        w(
            self.style.SUCCESS(
                f"演示数据已加载：{s['demands']} 件诉求，用时 {s['seconds']} 秒（种子 {s['seed']}，{s['steps']} 个办理步骤）"
            )
        )
        w(
            f"  单位 {s['units']} 个，账号 {s['staff']} 个，三级分类 {s['categories']} 个，派单目录 {s['dispatch_rules']} 条，群众 {s['residents']} 人"
        )
        w("  按状态：" + "，".join(f"{DemandStatus(k).label} {v}" for k, v in s["by_status"].items()))
        w("  按渠道：" + "，".join(f"{Channel(k).label} {v}" for k, v in s["by_channel"].items()))
        w("  按类型：" + "，".join(f"{DemandType(k).label} {v}" for k, v in s["by_type"].items()))
        w(f"  督办过 {s['escalated']} 件，重办过 {s['reopened']} 件，在办超期 {s['open_overdue']} 件")
        w(
            f"  {s['township']}：投诉 {s['township_complaints']} 件，其中校门口交通和摊贩 {s['township_hotspot_complaints']} 件，"
            f"占 {s['township_hotspot_share']:.0%}（全部诉求中占 {s['township_hotspot_share_all_types']:.0%}）"
        )
        # Only what the data holds: the riders' night visit is a visit round of the campaign (no 金榕 meeting
        # is recorded; the plan's meeting date only ends the escalation of school-gate demands).
        w(f"  紫荆社区骑手夜访：{s['riders_night_visit']}")
        for line in s.get("extra", []):
            w(f"  {line}")
        if "rollup" in s:
            w(
                f"  统计汇总已刷新：重算 {s['rollup']['days']} 天，"
                f"进度 #{s['rollup']['last_event_id']}（仪表盘的指标即为当前数据）"
            )

    def _logins(self) -> None:
        logins = demo_logins()
        if not logins:
            return
        w = self.stdout.write
        w("")
        w(f"演示账号（统一密码：{DEMO_PASSWORD}）")
        width = max(len(x.username) for x in logins)
        roles = max(len(x.role_label) for x in logins)
        # Chinese characters take two columns: pad them with full-width spaces.
        w(f"  {'用户名' + ' ' * (width - 6)}  {'角色'.ljust(roles, '　')}  单位/范围")
        for x in logins:
            w(f"  {x.username.ljust(width)}  {x.role_label.ljust(roles, '　')}  {x.where}")
