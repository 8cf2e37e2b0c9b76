"""Material: formatted text without scripts, links, and files checked by type and size."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programme.models import ModuleAttachment, ModuleLink
from tests.programme.conftest import PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def _office(prefix: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{prefix}document.xml", "<document/>")
    return buffer.getvalue()


def _attach(client, module, name: str, data: bytes, title: str = "Fil"):
    return client.post(
        reverse("programme:attachment-add", args=[module.pk]),
        {"file-title": title, "file-file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize(
    ("name", "data", "mimetype"),
    [
        ("teori.pdf", PDF, "application/pdf"),
        ("ovning.docx", _office("word/"), None),
        ("bilder.pptx", _office("ppt/"), None),
        ("gammal.doc", OLE, "application/msword"),
        ("gammal.ppt", OLE, "application/vnd.ms-powerpoint"),
        ("bild.png", PNG, "image/png"),
        ("foto.JPG", JPEG, "image/jpeg"),
    ],
)
def test_allowed_files_are_attached_and_downloaded_by_a_manager(
    client, world, coach, manager, name, data, mimetype
):
    client.force_login(coach)

    response = _attach(client, world["module"], name, data, title="Att läsa")

    assert response.status_code == 302
    attachment = ModuleAttachment.objects.get(original_name=name)
    client.force_login(manager)
    download = client.get(reverse("programme:attachment-download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    if mimetype:
        assert download["Content-Type"] == mimetype


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Filer av typen ”.exe” kan inte bifogas."),
        ("sida.html", b"<script>alert(1)</script>", "Filer av typen ”.html” kan inte bifogas."),
        ("falsk.pdf", b"<html>not a pdf</html>", "Filens innehåll stämmer inte med namnet (.pdf)."),
        ("falsk.docx", _office("ppt/"), "Filens innehåll stämmer inte med namnet (.docx)."),
        ("tom.pdf", b"", "Den skickade filen är tom."),
    ],
)
def test_other_files_are_refused_in_swedish_and_nothing_is_stored(
    client, world, coach, name, data, message
):
    client.force_login(coach)

    response = _attach(client, world["module"], name, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ModuleAttachment.objects.filter(original_name=name).exists()


def test_files_over_20_mb_are_refused(client, world, coach):
    client.force_login(coach)

    response = _attach(client, world["module"], "stor.pdf", PDF + b"0" * (20 * 1024 * 1024))

    assert response.status_code == 400
    assert "högst 20 MB är tillåtet" in response.content.decode()


def test_removing_a_file_removes_it_from_storage(
    client, world, coach, django_capture_on_commit_callbacks
):
    client.force_login(coach)
    attachment = world["attachment"]
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programme:attachment-remove", args=[attachment.pk]))

    assert not ModuleAttachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)


def test_module_text_is_formatted_and_cannot_carry_script(client, world, coach, manager):
    client.force_login(coach)
    module = world["module"]

    client.post(
        reverse("programme:module-update", args=[module.pk]),
        {
            "theme": module.theme_id,
            "title": "Trygg i sig själv",
            "theory": "## Teori\n\n* punkt ett\n* punkt **två**\n\n<script>alert(1)</script>",
            "practice": '<a href="javascript:alert(1)" onclick="x()">klick</a>',
            "order": 1,
        },
    )
    client.force_login(manager)
    page = client.get(
        reverse("programme:programme-detail", args=[module.programme_id])
    ).content.decode()

    assert "<li>punkt <strong>två</strong></li>" in page
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "onclick" not in page


def test_links_must_be_web_addresses(client, world, coach):
    client.force_login(coach)
    url = reverse("programme:link-add", args=[world["module"].pk])

    refused = client.post(url, {"link-title": "Elak", "link-url": "javascript:alert(1)"})
    added = client.post(url, {"link-title": "Kommunen", "link-url": "https://kungsor.se/"})

    assert refused.status_code == 400
    assert "Fyll i en giltig URL." in refused.content.decode()
    assert added.status_code == 302
    assert ModuleLink.objects.filter(title="Kommunen").exists()
    assert not ModuleLink.objects.filter(title="Elak").exists()


def test_programme_page_lists_material_per_theme(client, world, manager):
    client.force_login(manager)

    page = client.get(
        reverse("programme:programme-detail", args=[world["cohort"].programme_id])
    ).content.decode()

    assert "Leda sig själv" in page
    assert "Trygg i sig själv" in page
    assert "Bilder" in page
    assert "Läs mer" in page
    assert "Redigera" not in page
