import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from linli.org.selectors import api_token_list, staff_list
from linli.org.services import api_token_create, api_token_revoke

NAME_MAX = 80


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


class Command(BaseCommand):
    help = (
        "接口令牌：create 用户名 --name 用途（只显示一次密钥）、revoke 前缀、list [用户名] "
        "/ API tokens: create (the secret is shown once), revoke by prefix, list"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,revoke,list}")
        create = actions.add_parser("create", help="为工作人员创建令牌 / Create a token for a staff account")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="用途，如 12345热线对接 / What the token is for")
        revoke = actions.add_parser("revoke", help="吊销令牌 / Revoke a token")
        revoke.add_argument("prefix", help="令牌前缀（list 中显示）/ The token's prefix, as list shows it")
        listing = actions.add_parser("list", help="列出令牌 / List tokens")
        listing.add_argument("username", nargs="?")

    def handle(self, *args, action, **options):
        {"create": self._create, "revoke": self._revoke, "list": self._list}[action](**options)

    def _create(self, *, username, name, **_):
        name = name.strip()
        if not name or len(name) > NAME_MAX:
            raise CommandError(f"--name 须为 1–{NAME_MAX} 个字符 / --name must be 1 to {NAME_MAX} characters")
        user = staff_list().filter(username=username).first()
        if user is None:
            raise CommandError(f"找不到在用的工作人员账号：{username} / No active staff account {username}")
        token, secret = api_token_create(user=user, name=name)
        # The secret alone on stdout, so that a script can capture it; the notice on stderr.
        self.stderr.write(
            f"已为 {user.username} 创建令牌 {token.prefix}（{token.name}）。密钥只显示这一次，请立即保存。\n"
            f"Token {token.prefix} created for {user.username}; the secret is shown only once."
        )
        self.stdout.write(secret)

    def _revoke(self, *, prefix, **_):
        tokens = list(api_token_list(prefix=prefix.strip())[:2])
        if not tokens:
            raise CommandError(f"找不到前缀为 {prefix} 的令牌 / No token with prefix {prefix}")
        if len(tokens) > 1:
            raise CommandError(f"有多个令牌的前缀为 {prefix} / More than one token has prefix {prefix}")
        token = tokens[0]
        if token.revoked_at is not None:
            self.stdout.write(f"令牌 {token.prefix} 已于 {_when(token.revoked_at)} 吊销 / Already revoked")
            return
        api_token_revoke(token=token)
        self.stdout.write(f"已吊销令牌 {token.prefix}（{token.name}，{token.user.username}）/ Revoked")

    def _list(self, *, username=None, **_):
        rows = [
            (
                t.prefix,
                t.name,
                t.user.username,
                _when(t.created_at),
                _when(t.last_used_at),
                _when(t.revoked_at),
            )
            for t in api_token_list(username=username)
        ]
        if not rows:
            self.stdout.write(f"没有令牌 / No tokens{' for ' + username if username else ''}")
            return
        self.stdout.write(
            "\t".join(
                (
                    "前缀 prefix",
                    "用途 name",
                    "用户 user",
                    "创建 created",
                    "最近使用 last used",
                    "吊销 revoked",
                )
            )
        )
        for row in rows:
            self.stdout.write("\t".join(row))
