"""Demand lists as CSV or XLSX, for the CLI today and the web list page.

The functions take a queryset from ``linli.demands.selectors.demand_list``
(already filtered to what the user may see) and the viewing user, who also
decides through ``phone_for`` whether phone numbers are masked. Rows are read
with ``iterator(chunk_size=2000)`` so a large export never holds the whole
table in memory; ``csv_chunks`` can feed a ``StreamingHttpResponse``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from linli.core.xlsx import xlsx_bytes, xlsx_row
from linli.demands.models import Demand
from linli.demands.selectors import phone_for

CHUNK_SIZE = 2000

# header, column width in the XLSX (Excel's character units)
COLUMNS: list[tuple[str, int]] = [
    ("受理编号", 17),
    ("受理时间", 17),
    ("类型", 7),
    ("紧急程度", 9),
    ("渠道", 11),
    ("状态", 13),
    ("分类", 30),
    ("社区", 14),
    ("地址", 28),
    ("诉求内容", 60),
    ("主办单位", 18),
    ("签收时限", 17),
    ("办结时限", 17),
    ("办结时间", 17),
    ("是否超期", 9),
    ("是否解决", 9),
    ("满意度", 9),
    ("联系电话", 14),
]
HEADERS = [name for name, _ in COLUMNS]


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """Wall-clock time in the city's zone (Asia/Shanghai by default) to the second, without tzinfo: Excel has no time zones."""
    if moment is None:
        return None
    return timezone.localtime(moment, timezone.get_default_timezone()).replace(tzinfo=None, microsecond=0)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def demand_rows(demands: QuerySet[Demand], *, user, progress=None) -> Iterator[list[Any]]:
    """One list of cell values per demand, in the order of ``HEADERS``; datetimes are naive local time.

    ``progress(rows_so_far)`` is called every ``CHUNK_SIZE`` rows (a background export shows it).
    """
    for count, d in enumerate(demands.iterator(chunk_size=CHUNK_SIZE), start=1):
        if progress is not None and count % CHUNK_SIZE == 0:
            progress(count)
        yield [
            d.code,
            _local(d.registered_at),
            d.get_demand_type_display(),
            d.get_urgency_display(),
            d.get_channel_display(),
            d.get_status_display(),
            d.category.full_name if d.category_id else "",
            d.community.name if d.community_id else "",
            d.address,
            d.text,
            d.lead_unit.name if d.lead_unit_id else "",
            _local(d.sign_due),
            _local(d.finish_due),
            _local(d.replied_at),
            _yes_no(d.is_overdue or d.finished_on_time is False),
            _yes_no(d.resolved),
            d.get_satisfaction_display() if d.satisfaction else "",
            phone_for(user=user, demand=d),
        ]


def csv_cell(value: Any) -> Any:
    """A cell Excel will not run as a formula: text starting with = + - @ gets a leading quote (the import removes it)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_chunks(
    demands: QuerySet[Demand], *, user, rows_per_chunk: int = 500, progress=None
) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (so Excel on Windows reads the Chinese correctly), a few hundred rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    yield codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(demand_rows(demands, user=user, progress=progress), start=1):
        writer.writerow([csv_cell(v) for v in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def export_csv(demands: QuerySet[Demand], *, user) -> bytes:
    return b"".join(csv_chunks(demands, user=user))


def export_xlsx(demands: QuerySet[Demand], *, user, progress=None) -> bytes:
    """An XLSX workbook: bold frozen header, fixed column widths, real Excel datetimes in local time.

    openpyxl's write-only mode streams rows to a temporary file instead of
    building every cell in memory.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("诉求")
    sheet.freeze_panes = "A2"
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for name in HEADERS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in demand_rows(demands, user=user, progress=progress):
        sheet.append(xlsx_row(sheet, row))
    return xlsx_bytes(workbook)
