from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from linli.open311.selectors import api_key_list
from linli.open311.services import open311_key_create, open311_key_revoke
from linli.open311.services.keys import NAME_MAX


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


class Command(BaseCommand):
    help = (
        "Open311 接口密钥：create 用途（只显示一次密钥）、revoke 前缀、list "
        "/ Open311 api_keys: create NAME (the secret is shown once), revoke PREFIX, list"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,revoke,list}")
        create = actions.add_parser("create", help="为一个对接方创建密钥 / Create a key for one integration")
        create.add_argument("name", help="对接方，如 区数字城管 / Who the key is for")
        revoke = actions.add_parser("revoke", help="吊销密钥 / Revoke a key")
        revoke.add_argument("prefix", help="密钥前缀（list 中显示）/ The key's prefix, as list shows it")
        actions.add_parser("list", help="列出密钥 / List keys")

    def handle(self, *args, action, **options):
        {"create": self._create, "revoke": self._revoke, "list": self._list}[action](**options)

    def _create(self, *, name, **_):
        name = name.strip()
        if not name or len(name) > NAME_MAX:
            raise CommandError(f"用途须为 1–{NAME_MAX} 个字符 / NAME must be 1 to {NAME_MAX} characters")
        key, secret = open311_key_create(name=name)
        self.stderr.write(
            f"已创建 Open311 密钥 {key.prefix}（{key.name}）。密钥只显示这一次，请立即保存。\n"
            f"Open311 key {key.prefix} created for {key.name}; the secret is shown only once."
        )
        self.stdout.write(secret)

    def _revoke(self, *, prefix, **_):
        keys = list(api_key_list(prefix=prefix.strip())[:2])
        if not keys:
            raise CommandError(f"找不到前缀为 {prefix} 的密钥 / No key with prefix {prefix}")
        if len(keys) > 1:
            raise CommandError(f"有多个密钥的前缀为 {prefix} / More than one key has prefix {prefix}")
        if not open311_key_revoke(key=keys[0]):
            self.stdout.write(
                f"密钥 {keys[0].prefix} 已于 {_when(keys[0].revoked_at)} 吊销 / Already revoked"
            )
            return
        self.stdout.write(f"已吊销密钥 {keys[0].prefix}（{keys[0].name}）/ Revoked")

    def _list(self, **_):
        rows = [
            (k.prefix, k.name, _when(k.created_at), _when(k.last_used_at), _when(k.revoked_at))
            for k in api_key_list()
        ]
        if not rows:
            self.stdout.write("没有 Open311 密钥 / No Open311 keys")
            return
        self.stdout.write(
            "\t".join(("前缀 prefix", "用途 name", "创建 created", "最近使用 last used", "吊销 revoked"))
        )
        for row in rows:
            self.stdout.write("\t".join(row))
