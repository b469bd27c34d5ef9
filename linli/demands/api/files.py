"""Demands as files: the filtered list exported as CSV or XLSX, and a 台账 file imported.

The export reads through the same filters and visibility as ``GET /demands``;
``linli.demands.exports`` masks phone numbers for roles that may not see them.
The import calls ``demands_import``, which registers each good row and reports
each bad one by the row number Excel shows.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, UploadedFile

from linli.core import clock
from linli.demands.api.reads import demand_filters
from linli.demands.errors import ExportTooLarge
from linli.demands.exports import csv_chunks, export_xlsx
from linli.demands.schemas import READ_ERRORS, WRITE_ERRORS, DemandFilterIn
from linli.demands.selectors import demand_list
from linli.demands.services import imports

# Its own router, mounted before the staff router's /demands/{demand_id}, which would take "export" for an id.
router = Router(tags=["诉求 Demands"])

XLSX_MAX_ROWS = 100_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}
_BINARY = {"schema": {"type": "string", "format": "binary"}}
EXPORT_DOC = {
    "responses": {
        200: {
            "description": "CSV（UTF-8 带 BOM）或 XLSX 文件 / A CSV (UTF-8 with BOM) or XLSX file",
            "content": {"text/csv": _BINARY, XLSX_TYPE: _BINARY},
        }
    }
}


class ImportDuplicateOut(Schema):
    row: int = Field(description="Excel 中的行号（表头为第 1 行） / Row number as Excel shows it")
    external_ref: str


class ImportBadRowOut(Schema):
    row: int
    code: str = Field(description="错误码，如 category.unknown / Error code")
    reason: str


class ImportReportOut(Schema):
    dry_run: bool
    rows: int = Field(description="非空数据行数 / Non-empty data rows")
    imported: int = Field(
        description="已导入（试导入时为可导入）的行数 / Rows imported (dry run: importable)"
    )
    ids: list[int] = Field(
        description="新诉求 id，按行序；试导入时为空 / New demand ids in row order; empty on a dry run"
    )
    duplicates: list[ImportDuplicateOut] = Field(
        description="受理编号已导入过，跳过 / Already imported, skipped"
    )
    bad_rows: list[ImportBadRowOut]
    ignored_columns: list[str] = Field(description="未识别的列 / Columns not recognised")


@router.get(
    "/demands/export",
    response=READ_ERRORS,
    openapi_extra=EXPORT_DOC,
    summary="导出诉求 / Export demands",
)
def demands_export(
    request,
    filters: Query[DemandFilterIn],
    file_format: Literal["csv", "xlsx"] = Query("csv", alias="format"),
):
    """按列表筛选条件导出全部可见诉求（不分页）；无权查看完整号码的角色导出脱敏电话。
    / Every visible demand matching the list filters (page and page_size are ignored); phone numbers masked
    for roles that may not see them."""
    user = request.auth
    demands = demand_list(user=user, filters=demand_filters(filters))
    if file_format == "xlsx":
        # the workbook is built whole before it is sent; a CSV streams any number of rows
        rows = demands.count()
        if rows > XLSX_MAX_ROWS:
            raise ExportTooLarge(details={"rows": rows, "max_rows": XLSX_MAX_ROWS})
        response = HttpResponse(export_xlsx(demands, user=user), content_type=CONTENT_TYPES["xlsx"])
    else:
        response = StreamingHttpResponse(csv_chunks(demands, user=user), content_type=CONTENT_TYPES["csv"])
    filename = f"demands-{timezone.localdate(clock.now()):%Y%m%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.post(
    "/demands/import",
    response={200: ImportReportOut, **WRITE_ERRORS},
    summary="批量导入诉求 / Import demands",
)
def demands_import(
    request,
    file: File[UploadedFile],
    dry_run: bool = Query(False, description="只检查，不保存 / Check every row, save nothing"),
):
    """上传 CSV（UTF-8 或 GBK）或 XLSX 台账；好行登记，坏行按行号报告。文件无法读取时什么也不导入。
    / Upload a CSV (UTF-8 or GBK) or XLSX file: good rows are registered, bad rows reported by row number.
    A file that cannot be read imports nothing; one over 20 MB is answered 413 import.too_large."""
    try:
        report = imports.demands_import(file=file, actor=request.auth, dry_run=dry_run)
    except imports.ImportFileError as exc:
        if exc.code == "import.too_large":
            exc.status = 413
        raise
    return {
        "dry_run": report.dry_run,
        "rows": report.rows,
        "imported": len(report.imported),
        "ids": [] if report.dry_run else [report.imported[row] for row in sorted(report.imported)],
        "duplicates": [{"row": row, "external_ref": ref} for row, ref in report.duplicates],
        "bad_rows": [{"row": b.row, "code": b.code, "reason": b.reason} for b in report.bad_rows],
        "ignored_columns": report.ignored_columns,
    }
