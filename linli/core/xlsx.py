"""Cells for the XLSX files Linli writes: text stays text, datetimes read as datetimes.

openpyxl stores any string that starts with "=" as a formula, so a resident's or
an office's text such as "=HYPERLINK(…)" would become a live formula in the
downloaded file. Every export builds its rows with ``xlsx_row``.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl.cell import WriteOnlyCell

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def xlsx_cell(sheet, value: Any) -> Any:
    """The value as it should be stored on ``sheet`` (normal or write-only)."""
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_row(sheet, values) -> list:
    return [xlsx_cell(sheet, value) for value in values]


def xlsx_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
