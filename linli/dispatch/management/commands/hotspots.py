"""linli hotspots --csv FILE --top N: the N biggest issues (one problem at one place), one JSON line each.

Without --csv: the hotspots of this installation's demands (``--area``, ``--days``).
"""

from django.core.management.base import BaseCommand, CommandError

from linli.dispatch.csvinput import read_rows
from linli.dispatch.hotspots import Item, find_hotspots
from linli.dispatch.management.commands._jsonl import line


class Command(BaseCommand):
    help = "热点问题（同一地点同一问题） / Hotspots: the same problem at the same place"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--csv", default=None)
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--area", type=int, default=None, help="区域 id（无 --csv 时） / Jurisdiction id")
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, **opts):
        if opts["csv"]:
            try:
                rows = list(read_rows(opts["csv"]))
            except OSError as exc:
                raise CommandError(str(exc)) from exc
            items = [
                Item(id=r.id, text=f"{r.title}。{r.body}", title=r.title, at=r.created_at, caller=r.user)
                for r in rows
            ]
            spots = find_hotspots(items, top=opts["top"])
        else:
            from linli.dispatch.selectors import area_hotspots

            spots = area_hotspots(jurisdiction_id=opts["area"], days=opts["days"], top=opts["top"])
        for h in spots:
            self.stdout.write(
                line(
                    {
                        "rank": h.rank,
                        "label": h.label,
                        "place": h.place,
                        "size": h.size,
                        "ids": h.ids,
                        "share": h.share,
                        "growth": h.growth,
                        "repeat_callers": h.repeat_callers,
                        "first": h.first_at.isoformat() if h.first_at else None,
                        "last": h.last_at.isoformat() if h.last_at else None,
                        "samples": h.samples,
                    }
                )
            )
