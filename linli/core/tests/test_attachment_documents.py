"""Documents (PDF, XLSX, DOCX) are accepted only when asked for, and judged by content like photos."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.core.errors import AttachmentTypeNotAllowed
from linli.core.files import check_upload, sniff_document
from linli.core.services import attachment_store


def office(part: str, name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<x/>")
    return SimpleUploadedFile(name, out.getvalue())


PDF = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")


@pytest.mark.parametrize(
    ("upload", "kind"),
    [
        (PDF, "application/pdf"),
        (
            office("xl/workbook.xml", "t.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            office("word/document.xml", "t.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (office("other.xml", "t.docx"), None),
        (SimpleUploadedFile("t.pdf", b"<html>not a pdf</html>"), None),
    ],
)
def test_sniff_document_goes_by_content(upload, kind):
    assert sniff_document(upload) == kind


def test_documents_are_refused_unless_asked_for():
    with pytest.raises(AttachmentTypeNotAllowed):
        check_upload(PDF)
    assert check_upload(PDF, kinds=("image", "document")) == "application/pdf"
    with pytest.raises(AttachmentTypeNotAllowed) as exc:
        check_upload(SimpleUploadedFile("x.docx", b"PK\x03\x04garbage"), kinds=("image", "document"))
    assert "PDF" in exc.value.message_zh


@pytest.mark.django_db
def test_attachment_store_keeps_a_document_with_its_extension(world):
    stored = attachment_store(
        subject_type="access_task",
        subject_id=1,
        upload=office("xl/workbook.xml", "台账.xlsx"),
        kinds=("image", "document"),
    )
    assert stored.file.name.endswith(".xlsx") and stored.original_name == "台账.xlsx"
    stored.file.delete(save=False)
