"""PDF by converting the DOCX with LibreOffice headless.

Why LibreOffice and not WeasyPrint or typst: the PDF must be the document the official signs,
i.e. the very DOCX laid out by a word processor — same table geometry, same rules, same page
breaks and page numbers. Rendering the same content a second time through HTML/CSS or a typst
template would give a second layout that drifts from the DOCX (and a second set of Decree 30
constants to keep in sync). LibreOffice also substitutes Liberation Serif, which is metric-
compatible with Times New Roman, so line breaks match Word's.

LibreOffice is a system package (`apt-get install libreoffice-writer-nogui`), installed by
`.ci/run` when missing. Where it is missing, `DocumentUnavailable` says so clearly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

CONVERT_TIMEOUT_SECONDS = 180


class DocumentUnavailable(Exception):
    """The document cannot be produced on this machine (a missing system tool)."""


def soffice_path() -> str | None:
    return shutil.which(os.environ.get("SOFFICE", "soffice")) or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes) -> bytes:
    soffice = soffice_path()
    if soffice is None:
        raise DocumentUnavailable(
            _(
                "Máy chủ chưa cài LibreOffice nên chưa tạo được tệp PDF "
                "(apt-get install libreoffice-writer-nogui). Hãy tải tệp DOCX."
            )
        )
    with tempfile.TemporaryDirectory(prefix="dxday-pdf-") as tmp:
        src = Path(tmp) / "bao-cao.docx"
        src.write_bytes(docx)
        # A private profile per run: concurrent conversions never share (and lock) one.
        profile = Path(tmp) / "profile"
        cmd = [
            soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", tmp, str(src),
        ]  # fmt: skip
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=CONVERT_TIMEOUT_SECONDS)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise DocumentUnavailable(
                _("LibreOffice không chuyển được báo cáo sang PDF: %(err)s") % {"err": exc}
            ) from exc
        out = Path(tmp) / "bao-cao.pdf"
        if not out.exists():
            raise DocumentUnavailable(_("LibreOffice không tạo ra tệp PDF."))
        return out.read_bytes()
