"""Reading a holiday schedule file for ``linli holidays import``: one row per date.

CSV (UTF-8, with or without BOM, or GBK) or XLSX (first sheet), a header row
naming the columns 日期 (date), 类型 (kind) and 名称 (name), e.g.::

    日期,类型,名称
    2027-01-01,放假,元旦
    2027-02-07,上班,春节调休

类型 is 放假 / 休 / holiday for a day off, 上班 / 班 / 调休上班 / workday for a
make-up working day. Every bad row is reported with its row number in the file
(the header is row 1); a file with a bad row imports nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

from linli.core.errors import ValidationFailed

HEADERS = {
    "date": ("日期", "date"),
    "kind": ("类型", "kind", "放假/上班"),
    "name": ("名称", "name", "节日"),
}
OFF = {"放假", "休", "休息", "休假", "假", "假日", "节假日", "holiday", "off"}
WORK = {"上班", "班", "调休上班", "补班", "工作日", "workday", "make-up", "makeup", "work"}
FIRST_YEAR = 2004  # the first year of chinesecalendar; nothing to import before it


class HolidayFileError(ValidationFailed):
    """The file as a whole cannot be read. Nothing was imported."""

    code = "holidays.bad_file"
    message_zh = "节假日文件无法读取：请提供带表头（日期、类型、名称）的 CSV 或 XLSX 文件"
    message_en = "The holiday file cannot be read: give a CSV or XLSX file with the header 日期, 类型, 名称"


class HolidayRowsInvalid(ValidationFailed):
    """Some rows are wrong; ``details["rows"]`` lists them. Nothing was imported."""

    code = "holidays.bad_rows"
    message_zh = "节假日文件中有错误行，未导入任何日期"
    message_en = "The holiday file has bad rows; nothing was imported"


@dataclass
class HolidayRow:
    row: int
    date: dt.date
    is_workday: bool
    name: str


@dataclass
class Parsed:
    rows: list[HolidayRow] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _norm(value: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value if value is not None else ""))).lower()


def _cells(data: bytes) -> list[list[Any]]:
    if data.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise HolidayFileError() from exc
        try:
            return [list(r) for r in book.worksheets[0].iter_rows(min_row=1, values_only=True)]
        finally:
            book.close()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise HolidayFileError()
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise HolidayFileError() from exc


def _date(value: Any, *, last_year: int) -> dt.date | None:
    if isinstance(value, dt.datetime):
        day = value.date()  # local-date: a spreadsheet cell is a calendar day as written
    elif isinstance(value, dt.date):
        day = value
    else:
        text = unicodedata.normalize("NFKC", str(value or "")).strip()
        match = re.fullmatch(
            r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?", text
        )
        if not match:
            return None
        try:
            day = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    return day if FIRST_YEAR <= day.year <= last_year else None


def parse(data: bytes, *, today: dt.date) -> Parsed:
    """The rows of a holiday file, or the errors of its bad rows (row numbers as in the file)."""
    cells = _cells(data)
    if not cells:
        raise HolidayFileError()
    header = [_norm(c) for c in cells[0]]
    columns: dict[str, int] = {}
    for key, names in HEADERS.items():
        for name in names:
            if _norm(name) in header:
                columns[key] = header.index(_norm(name))
                break
    if "date" not in columns or "kind" not in columns:
        raise HolidayFileError(details={"header": [str(c) for c in cells[0]]})
    out, seen = Parsed(), {}
    last_year = today.year + 2
    for number, raw in enumerate(cells[1:], start=2):
        row = list(raw) + [None] * (len(header) - len(raw))
        if all(c is None or not str(c).strip() for c in row):
            continue
        day = _date(row[columns["date"]], last_year=last_year)
        kind = _norm(row[columns["kind"]])
        name = str(row[columns["name"]] or "").strip()[:60] if "name" in columns else ""
        if day is None:
            out.errors.append(
                {
                    "row": number,
                    "message": f"日期无法识别或不在 {FIRST_YEAR}–{last_year} 年之间：{row[columns['date']]}",
                    "message_en": f"Unreadable date, or not between {FIRST_YEAR} and {last_year}",
                }
            )
            continue
        if kind in OFF or kind in WORK:
            is_workday = kind in WORK
        else:
            out.errors.append(
                {
                    "row": number,
                    "message": f"类型应为“放假”或“上班”：{row[columns['kind']] or '（空）'}",
                    "message_en": "The kind must be 放假 (day off) or 上班 (make-up working day)",
                }
            )
            continue
        if day in seen and seen[day].is_workday != is_workday:
            out.errors.append(
                {
                    "row": number,
                    "message": f"{day} 与第 {seen[day].row} 行矛盾",
                    "message_en": f"{day} contradicts row {seen[day].row}",
                }
            )
            continue
        seen[day] = HolidayRow(row=number, date=day, is_workday=is_workday, name=name)
    out.rows = sorted(seen.values(), key=lambda r: r.date)
    return out
