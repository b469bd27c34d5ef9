"""Bulk import of demands from CSV or XLSX (批量导入).

Offices keep 台账 in Excel. Each good row is registered through
``demand_register`` (channel ``import``), at its 受理时间 when one is given.
A bad row is reported by the row number Excel shows (the header is row 1)
with the stable code of the error the services raised, and the good rows are
kept: each row runs in its own savepoint. A row whose 受理编号 was imported
before is skipped, so importing the same file twice adds nothing. The column
mapping is documented in ``docs/import-format.md``; reading the file and
finding its header is ``import_files``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from openpyxl.utils.datetime import from_excel

from linli.core import clock
from linli.core.daterange import check_date
from linli.core.errors import ApplicationError
from linli.demands.errors import ActionForbidden, BadDemand, DuplicateExternalRef
from linli.demands.exports import csv_cell
from linli.demands.models import Demand
from linli.demands.services.import_files import (
    ALIASES,
    COLUMN_LABELS,
    COLUMNS,
    REQUIRED,
    ImportFileError,
    blank,
    cell_at,
    cell_text,
    file_rows,
    find_header,
    header_key,
    read_bytes,
)
from linli.demands.services.intake import demand_register
from linli.demands.states import Channel, DemandType, Urgency
from linli.dispatch.errors import UnknownCategory
from linli.dispatch.selectors import category_get, category_list
from linli.org import permissions as org_perms
from linli.org.errors import BadPhone, UnknownJurisdiction
from linli.org.selectors import community_get, jurisdiction_list

# The limits are this service's; read_bytes is handed MAX_BYTES on each call.
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000

_TYPES = {**{header_key(c.label): c.value for c in DemandType}, **{c.value: c.value for c in DemandType}}
_URGENCIES = {**{header_key(c.label): c.value for c in Urgency}, **{c.value: c.value for c in Urgency}}
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


@dataclass
class BadRow:
    row: int
    code: str
    reason: str
    values: dict[str, str]


@dataclass
class ImportReport:
    """What an import did. ``imported`` maps a row number to the new demand's id."""

    headers: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0
    imported: dict[int, int] = field(default_factory=dict)
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    dry_run: bool = False


# --- one row ----------------------------------------------------------------------------------------


class _Lookups:
    """Community and category by code or name, each value resolved once per file."""

    def __init__(self) -> None:
        self._communities: dict[str, int | ApplicationError] = {}
        self._categories: dict[str, int | ApplicationError] = {}

    @staticmethod
    def _cached(cache: dict[str, int | ApplicationError], value: str, resolve) -> int:
        if value not in cache:
            try:
                cache[value] = resolve(value)
            except ApplicationError as exc:
                cache[value] = exc
        found = cache[value]
        if isinstance(found, ApplicationError):
            raise found
        return found

    def community_id(self, value: str) -> int:
        return self._cached(self._communities, value, self._community)

    def category_id(self, value: str) -> int:
        return self._cached(self._categories, value, self._category)

    @staticmethod
    def _community(value: str) -> int:
        try:
            return community_get(code=value).pk
        except UnknownJurisdiction:
            pass
        same_name = [
            pk
            for level in ("community", "village")
            for pk in jurisdiction_list(level=level).filter(name=value).values_list("pk", flat=True)
        ]
        if len(same_name) > 1:
            raise UnknownJurisdiction(
                f"社区名称“{value}”不唯一，请填写社区的行政区划代码",
                f"More than one community is named {value}; give its code",
                details={"community": value},
            )
        if not same_name:
            raise UnknownJurisdiction(
                f"找不到社区/村：{value}",
                f"No such community or village: {value}",
                details={"community": value},
            )
        return same_name[0]

    @staticmethod
    def _category(value: str) -> int:
        path = "/".join(part.strip() for part in re.split(r"[/>›\\]", value))
        for code, full_name in ((value, None), (None, path)):
            try:
                return category_get(code=code, full_name=full_name).pk
            except UnknownCategory:
                continue
        if "/" not in path:
            # A bare name is accepted when exactly one category has it.
            same_name = list(category_list().filter(name=value).values_list("pk", flat=True)[:2])
            if len(same_name) == 1:
                return same_name[0]
        raise UnknownCategory(
            f"找不到诉求分类：{value}（请填写完整路径，如 城乡建设/市政管理/占道经营，或分类编码）",
            f"No such category: {value} (give the full path or the code)",
            details={"category": value},
        )


def _choice(value: str, table: dict[str, str], column: str, required: bool) -> str | None:
    if not value:
        if required:
            raise BadDemand(f"{column}不能为空", f"{column} is required", details={"column": column})
        return None
    found = table.get(header_key(value))
    if found is None:
        labels = "/".join(dict.fromkeys(k for k in table if not k.isascii()))
        raise BadDemand(
            f"{column}“{value}”无法识别（可填：{labels}）",
            f"Unknown {column}: {value}",
            details={column: value},
        )
    return found


def _from_excel(value: float) -> dt.datetime | None:
    """An Excel serial date, or None when it is no date (negative, or beyond the year 9999)."""
    try:
        return from_excel(value)
    except (OverflowError, ValueError, TypeError):
        return None


def _moment(value: Any) -> dt.datetime | None:
    """受理时间 as an aware datetime: Excel dates, "2026-03-01 09:30", "2026/3/1 9:30", ISO 8601."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    tz = timezone.get_default_timezone()
    moment: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time.min)  # local-date: local wall time, aware below
    elif isinstance(value, int | float) and not isinstance(value, bool):
        moment = _from_excel(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        text = text.replace("年", "-").replace("月", "-").replace("日", " ").replace("/", "-").strip()
        text = re.sub(r"\s+", " ", text)
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            moment = _from_excel(float(text))
        else:
            try:
                moment = dt.datetime.fromisoformat(text)
            except ValueError:
                for fmt in _DATETIME_FORMATS:
                    try:
                        moment = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 local wall-clock text, made aware below
                        break
                    except ValueError:
                        continue
    if moment is None:
        raise BadDemand(
            f"受理时间“{value}”无法识别（例：2026-03-01 09:30）",
            f"Cannot read the registration time {value!r} (e.g. 2026-03-01 09:30)",
            details={"registered_at": str(value)},
        )
    # 0001-01-01 or 9999-12-31 would overflow later (in the rollup, for good): refused here, with the row.
    check_date(moment, field="registered_at")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, tz)
    if moment > clock.now():
        raise BadDemand(
            f"受理时间 {timezone.localtime(moment, tz):%Y-%m-%d %H:%M} 晚于当前时间",
            "The registration time is in the future",
            details={"registered_at": moment.isoformat()},
        )
    return moment


def _register(raw: dict[str, Any], lookups: _Lookups, actor) -> Demand:
    text = {key: cell_text(raw.get(key)) for key in COLUMNS if key != "registered_at"}
    if len(text["external_ref"]) > 64:
        raise BadDemand(
            "受理编号不能超过64个字符",
            "受理编号 is longer than 64 characters",
            details={"external_ref": "too long"},
        )
    demand_type = _choice(text["demand_type"], _TYPES, "诉求类型", required=True)
    urgency = _choice(text["urgency"], _URGENCIES, "紧急程度", required=False) or Urgency.NORMAL
    registered_at = _moment(raw.get("registered_at"))
    community_id = lookups.community_id(text["community"]) if text["community"] else None
    category_id = lookups.category_id(text["category"]) if text["category"] else None
    if "*" in text["phone"]:
        raise BadPhone(
            "联系电话已脱敏（含 *），无法导入，请填写完整号码",
            "The phone number is masked",
            details={"phone": "masked"},
        )
    kwargs = dict(
        channel=Channel.IMPORT,
        demand_type=demand_type,
        urgency=urgency,
        text=text["text"],
        title=text["title"],
        address=text["address"],
        community_id=community_id,
        category_id=category_id,
        phone=text["phone"] or None,
        name=text["name"],
        external_ref=text["external_ref"],
        actor=actor,
    )
    if registered_at is None:
        return demand_register(**kwargs)
    with clock.at(registered_at):
        return demand_register(**kwargs)


def _reason(exc: ApplicationError) -> str:
    """The message in Chinese; the generic 诉求信息有误 gets the details that say which field was wrong."""
    if exc.details and exc.message_zh == BadDemand.message_zh:
        return f"{exc.message_zh}（{', '.join(f'{k}: {v}' for k, v in exc.details.items())}）"
    return exc.message_zh


def _already_imported(refs: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(refs), 500):
        found.update(
            Demand.objects.filter(
                channel=Channel.IMPORT, external_ref__in=refs[start : start + 500]
            ).values_list("external_ref", flat=True)
        )
    return found


# --- the service ------------------------------------------------------------------------------------


def demands_import(
    *, source_path: str | Path | None = None, file: IO[bytes] | None = None, actor=None, dry_run: bool = False
) -> ImportReport:
    """Import demands from a CSV (UTF-8, UTF-8 with BOM or GBK) or XLSX file.

    Raises ``ImportFileError`` when the file as a whole cannot be read, is
    too large or has no header; then nothing is imported. With ``dry_run``
    every row is checked and registered, then everything is rolled back.
    """
    if actor is not None and not org_perms.can_register(actor):
        raise ActionForbidden()
    data = read_bytes(source_path, file, max_bytes=MAX_BYTES)
    rows = file_rows(data)
    header_row, headers = find_header(rows)
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(headers):
        key = ALIASES.get(header_key(name))
        if key is None or key in columns:
            if name:
                ignored.append(name)
            continue
        columns[key] = index
    missing = [COLUMN_LABELS[key] for key in REQUIRED if key not in columns]
    if missing:
        raise ImportFileError(
            f"缺少必填列：{'、'.join(missing)}",
            f"Missing required columns: {', '.join(missing)}",
            code="import.missing_column",
        )

    body: list[tuple[int, list[Any]]] = []
    for number, cells in enumerate(rows, start=header_row + 1):
        if blank(cells):
            continue
        body.append((number, cells))
        if len(body) > MAX_ROWS:
            raise ImportFileError(
                f"文件超过 {MAX_ROWS} 行，请拆分后分批导入",
                f"The file has more than {MAX_ROWS} rows; split it",
                code="import.too_many_rows",
            )

    report = ImportReport(headers=headers, ignored_columns=ignored, rows=len(body), dry_run=dry_run)
    ref_column = columns.get("external_ref")
    seen = (
        _already_imported([r for _, cells in body if (r := cell_text(cell_at(cells, ref_column)))])
        if ref_column is not None
        else set()
    )
    lookups = _Lookups()
    with transaction.atomic():
        for number, cells in body:
            raw = {key: cell_at(cells, index) for key, index in columns.items()}
            ref = cell_text(raw.get("external_ref"))
            if ref and ref in seen:
                report.duplicates.append((number, ref))
                continue
            try:
                with transaction.atomic():
                    demand = _register(raw, lookups, actor)
            except DuplicateExternalRef:
                # another import of the same rows committed while this one was running
                report.duplicates.append((number, ref))
                continue
            except ApplicationError as exc:
                values = {name: cell_text(cell_at(cells, i)) for i, name in enumerate(headers) if name}
                report.bad_rows.append(BadRow(row=number, code=exc.code, reason=_reason(exc), values=values))
                continue
            report.imported[number] = demand.pk
            if ref:
                seen.add(ref)
        if dry_run:
            transaction.set_rollback(True)
    return report


def bad_rows_csv(report: ImportReport) -> bytes:
    """The bad rows with their original cells, for the office to fix and import again (the added columns are ignored then)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    names = [h for h in report.headers if h]
    writer.writerow(["原行号", "错误代码", "错误原因", *names])
    for bad in report.bad_rows:
        writer.writerow([bad.row, bad.code, bad.reason, *(csv_cell(bad.values.get(n, "")) for n in names)])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
