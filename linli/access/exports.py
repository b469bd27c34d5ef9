"""The catalogue as an XLSX file, in the column order the import reads."""

from __future__ import annotations

from linli.access.models import CatalogueVersion
from linli.access.selectors import item_list
from linli.access.services.catalogue import COLUMNS
from linli.core.xlsx import xlsx_bytes, xlsx_row


def catalogue_xlsx(*, version: CatalogueVersion) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"第{version.number}版"
    sheet.append([label for _, label in COLUMNS])
    for it in item_list(version=version):
        sheet.append(
            xlsx_row(
                sheet,
                [
                    it.code,
                    it.name,
                    it.get_kind_display(),
                    it.basis,
                    it.department_label,
                    it.method,
                    it.funding,
                    it.get_applies_to_display(),
                    it.keywords,
                    it.description,
                    it.effective_from,
                    it.effective_to,
                ],
            )
        )
    return xlsx_bytes(book)
