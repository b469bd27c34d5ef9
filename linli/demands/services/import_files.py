"""Reading a demand ledger file for ``demands_import``: the bytes, the rows, the header, the cells.

CSV (UTF-8, UTF-8 with BOM, UTF-16 or GBK; comma or tab) and XLSX (first
sheet) both come out as lists of raw cells. The column names each field is
recognised by are here too: they are what ``docs/import-format.md`` documents.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from linli.core.errors import ValidationFailed

# A title line such as "2026年3月诉求台账" may sit above the header.
HEADER_SEARCH_ROWS = 10

# field -> accepted header names (compared after NFKC, without spaces, "*" marks or case)
COLUMNS: dict[str, tuple[str, ...]] = {
    "external_ref": ("受理编号", "工单编号", "external_ref"),
    "demand_type": ("诉求类型", "类型", "type", "demand_type"),
    "urgency": ("紧急程度", "urgency"),
    "title": ("标题", "title"),
    "text": ("诉求内容", "text"),
    "address": ("地址", "address"),
    "community": ("社区", "社区/村", "community"),
    "category": ("分类", "诉求分类", "category"),
    "phone": ("联系电话", "电话", "phone"),
    "name": ("姓名", "name"),
    "registered_at": ("受理时间", "registered_at"),
}
REQUIRED = ("text", "demand_type")
COLUMN_LABELS = {key: names[0] for key, names in COLUMNS.items()}


def header_key(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().lstrip("\ufeff")
    return re.sub(r"[\s*]", "", text).lower()


ALIASES = {header_key(name): key for key, names in COLUMNS.items() for name in names}


class ImportFileError(ValidationFailed):
    """The file as a whole cannot be imported (not CSV or XLSX, too large, no header). Nothing was imported."""

    code = "import.bad_file"
    message_zh = "文件无法读取：请上传 CSV 或 XLSX 文件"
    message_en = "The file cannot be read: upload a CSV or XLSX file"


def read_bytes(source_path: str | Path | None, file: IO[bytes] | None, *, max_bytes: int) -> bytes:
    if (source_path is None) == (file is None):
        raise TypeError("give exactly one of source_path and file")
    if source_path is not None:
        path = Path(source_path)
        if not path.is_file():
            raise ImportFileError(f"找不到文件：{path}", f"No such file: {path}", code="import.not_found")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    else:
        data = file.read(max_bytes + 1)  # type: ignore[union-attr]
    if len(data) > max_bytes:
        raise ImportFileError(
            f"文件超过 {max_bytes // (1024 * 1024)} MB，请拆分后分批导入",
            f"The file is larger than {max_bytes // (1024 * 1024)} MB; split it",
            code="import.too_large",
        )
    if not data.strip():
        raise ImportFileError("文件是空的", "The file is empty", code="import.empty")
    return data


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            "XLSX 文件已损坏或不是 Excel 工作簿", "The XLSX file is damaged or not an Excel workbook"
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        # min_row=1 makes openpyxl yield empty rows too, so the count matches Excel's row numbers.
        for row in sheet.iter_rows(min_row=1, values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)  # Excel's "Unicode text"
    elif b"\x00" in data[:4096]:
        encodings = ()
    else:
        # Excel on Chinese Windows saves CSV in GBK; GB18030 is its superset.
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        "无法识别的文件：请上传 CSV（UTF-8 或 GBK 编码）或 XLSX 文件",
        "Unrecognised file: upload a CSV (UTF-8 or GBK) or an XLSX file",
    )


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise ImportFileError(
            "CSV 文件格式有误", "The CSV file is malformed", details={"error": str(exc)}
        ) from exc


def file_rows(data: bytes) -> Iterator[list[Any]]:
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV",
            "Old Excel (.xls) files are not supported; save as .xlsx or CSV",
        )
    return _csv_rows(data)


def blank(cells: Iterable[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def cell_text(value: Any) -> str:
    """A cell as text: Excel stores phone numbers and 编号 as numbers, so 13812341234.0 reads back as 13812341234."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    text = str(value).strip()
    # Undo the quote that exports put before = + - @ so that Excel does not run a cell as a formula.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def find_header(rows: Iterator[list[Any]]) -> tuple[int, list[str]]:
    for number, cells in enumerate(rows, start=1):
        keys = [ALIASES.get(header_key(c)) for c in cells]
        if "text" in keys:
            return number, [cell_text(c) for c in cells]
        if number >= HEADER_SEARCH_ROWS:
            break
    raise ImportFileError(
        "找不到表头：第一行须是列名，且包含“诉求内容”列（列名见导入说明）",
        "No header found: the first row must name the columns and include 诉求内容/text",
        code="import.no_header",
    )


def cell_at(cells: list[Any], index: int | None) -> Any:
    return cells[index] if index is not None and index < len(cells) else None
