"""The dashboard's tables: one structure feeds the chart JSON, the data table on the page and the downloads.

Because a chart, its data table and its CSV/XLSX file are all drawn from the
same ``Table``, they cannot show different numbers.

Column kinds: ``text``, ``int``, ``pct`` (a share or a rate, 0–1 or None),
``rate`` (a figure with its numerator and denominator: a dict), ``growth``
(a change, −1…∞ or None), ``datetime`` and ``link`` (text with an ``href``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.core.xlsx import xlsx_bytes, xlsx_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EMPTY = "—"


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"
    title: str = ""  # a rate's formula, shown on hover of the header
    sort_href: str = ""  # set on sortable tables
    aria_sort: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    note: str = ""
    links: dict[str, str] = field(default_factory=dict)  # format → download href

    # --- on the page ----------------------------------------------------------------------------

    def cells(self) -> list[list[dict[str, Any]]]:
        """Rows of display cells: ``text``, an optional ``sub`` line, ``href`` and the column ``label`` (for phones)."""
        return [[_cell(column, row.get(column.key)) for column in self.columns] for row in self.rows]

    def body_html(self) -> str:
        """The table's rows as HTML, built here rather than in the template: a city has hundreds of rows of cells."""
        if not self.rows:
            return format_html(
                '<tr><td colspan="{}" class="muted">{}</td></tr>', len(self.columns), _("暂无数据")
            )
        # Plain escaping, not format_html: a city's tables hold a few thousand cells.
        rows = ("<tr>" + "".join(_cell_html(cell) for cell in cells) + "</tr>" for cells in self.cells())
        return mark_safe("\n".join(rows))  # noqa: S308 - every value is escaped in _cell_html

    def as_json(self) -> dict[str, Any]:
        """What ``dashboard.js`` draws: columns and raw rows (rates keep their numerator and denominator)."""
        return {
            "title": self.title,
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in self.columns],
            "rows": [{c.key: _json_value(c, row.get(c.key)) for c in self.columns} for row in self.rows],
        }

    # --- in a file ------------------------------------------------------------------------------

    def export_header(self) -> list[str]:
        header: list[str] = []
        for c in self.columns:
            if c.kind == "rate":
                header += [f"{c.label}(%)", f"{c.label}{_('分子')}", f"{c.label}{_('分母')}"]
            elif c.kind in ("pct", "growth"):
                header.append(f"{c.label}(%)")
            else:
                header.append(c.label)
        return header

    def export_rows(self) -> list[list[Any]]:
        out = []
        for row in self.rows:
            line: list[Any] = []
            for c in self.columns:
                v = row.get(c.key)
                if c.kind == "rate":
                    v = v or {}
                    line += [_percent(v.get("value")), v.get("numerator"), v.get("denominator")]
                elif c.kind in ("pct", "growth"):
                    line.append(_percent(v))
                elif c.kind == "datetime":
                    line.append(_local(v))
                elif c.kind == "link":
                    line.append((v or {}).get("text", ""))
                else:
                    line.append(v)
            out.append(line)
        return out


def _percent(v: float | None) -> float | None:
    return None if v is None else round(v * 100, 2)


def format_pct(v: float | None) -> str:
    return EMPTY if v is None else f"{v * 100:.1f}%"


def format_growth(v: float | None) -> str:
    if v is None:
        return _("新出现")
    return f"{'+' if v > 0 else ''}{v * 100:.0f}%"


def _local(v: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(v).replace(tzinfo=None, microsecond=0) if v else None


def _cell(column: Column, v: Any) -> dict[str, Any]:
    cell: dict[str, Any] = {"label": column.label, "kind": column.kind, "sub": "", "href": ""}
    if column.kind == "rate":
        v = v or {}
        cell["text"] = format_pct(v.get("value"))
        cell["sub"] = f"{v.get('numerator', 0)}/{v.get('denominator', 0)}"
    elif column.kind == "pct":
        cell["text"] = format_pct(v)
    elif column.kind == "growth":
        cell["text"] = format_growth(v)
    elif column.kind == "datetime":
        cell["text"] = date_format(timezone.localtime(v), "Y-m-d H:i") if v else EMPTY
    elif column.kind == "link":
        cell["text"], cell["href"] = (v or {}).get("text", ""), (v or {}).get("href", "")
    elif column.kind == "int":
        cell["text"] = EMPTY if v is None else str(v)
    else:
        cell["text"] = "" if v is None else str(v)
    return cell


def _cell_html(cell: dict[str, Any]) -> str:
    text = escape(cell["text"])
    if cell["href"]:
        text = f'<a href="{escape(cell["href"])}">{text}</a>'
    sub = f' <small class="muted">{escape(cell["sub"])}</small>' if cell["sub"] else ""
    return f'<td data-label="{escape(cell["label"])}" class="{cell["kind"]}">{text}{sub}</td>'


def _json_value(column: Column, v: Any) -> Any:
    if column.kind == "datetime":
        return timezone.localtime(v).isoformat() if v else None
    if column.kind == "link":
        return (v or {}).get("text", "")
    return v


# --- files ------------------------------------------------------------------------------------------

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def content_disposition(filename: str, fallback: str) -> str:
    """An attachment with an ASCII ``filename`` for old clients and the real (Chinese) name in ``filename*`` (RFC 6266)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def table_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.export_header())
    for line in table.export_rows():
        writer.writerow(
            [
                "" if v is None else v.strftime("%Y-%m-%d %H:%M") if isinstance(v, dt.datetime) else v
                for v in line
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(table: Table, *, about: list[tuple[str, str]]) -> bytes:
    """The table on its first sheet; the scope, the period and the formulas on a second sheet ``说明``."""
    book = Workbook()
    sheet = book.active
    sheet.title = _SHEET_UNSAFE.sub(" ", table.title)[:31] or "Sheet1"
    sheet.append(table.export_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in table.export_rows():
        sheet.append(xlsx_row(sheet, line))
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(_SHEET_UNSAFE.sub(" ", _("说明"))[:31])
    for key, value in about:
        notes.append(xlsx_row(notes, [key, value]))
    return xlsx_bytes(book)


def table_download(table: Table, fmt: str, *, stem: str, about: list[tuple[str, str]]) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(table_xlsx(table, about=about), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(
        f"{table.title}-{stem}.{fmt}", f"dashboard-{table.key}-{stem}.{fmt}"
    )
    return response
