"""The firm statement as an XLSX file (money shown in yuan from integer fen; phones masked)."""

from __future__ import annotations

from openpyxl import Workbook

from linli.core.text import mask_phone
from linli.core.xlsx import xlsx_bytes, xlsx_row
from linli.workshop.selectors import yuan


def statement_xlsx(statement: dict) -> bytes:
    book = Workbook(write_only=True)
    firm, month = statement["firm"], statement["month"]
    sheet = book.create_sheet("交货验收")
    sheet.append(xlsx_row(sheet, [f"{firm.name} 对账单 {month}"]))
    sheet.append(
        xlsx_row(
            sheet,
            [
                "交货日期",
                "订单",
                "参与群众",
                "电话",
                "合格（件）",
                "不合格（件）",
                "单价（元）",
                "金额（元）",
            ],
        )
    )
    for d in statement["deliveries"]:
        sheet.append(
            xlsx_row(
                sheet,
                [
                    d.delivered_on.isoformat(),
                    d.lot.order.item,
                    d.lot.participant.name,
                    mask_phone(d.lot.participant.phone),
                    d.accepted,
                    d.rejected,
                    yuan(d.unit_price_fen),
                    yuan(d.amount_fen),
                ],
            )
        )
    sheet.append(
        xlsx_row(
            sheet,
            [
                "合计",
                "",
                "",
                "",
                sum(d.accepted for d in statement["deliveries"]),
                "",
                "",
                yuan(statement["earned_fen"]),
            ],
        )
    )
    paid = book.create_sheet("付款")
    paid.append(xlsx_row(paid, ["付款日期", "参与群众", "电话", "金额（元）", "备注"]))
    for p in statement["payments"]:
        paid.append(
            xlsx_row(
                paid,
                [
                    p.paid_on.isoformat(),
                    p.participant.name,
                    mask_phone(p.participant.phone),
                    yuan(p.amount_fen),
                    p.note,
                ],
            )
        )
    paid.append(xlsx_row(paid, ["合计", "", "", yuan(statement["paid_fen"]), ""]))
    return xlsx_bytes(book)
