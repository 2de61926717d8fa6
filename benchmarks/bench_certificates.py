"""`certificates_print_1000`: 1,000 certificates of completion to one PDF (issue 6: about a second).

Timed: making the pages of 1,000 documents from their loaded values (layout, calibration,
text fitting, QR codes) and writing them to one PDF with the fonts embedded. Floor: reportlab
drawing the same strings in the same fonts at the same places on 1,000 pages.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from reportlab.pdfgen import canvas

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import Case  # noqa: E402

N = 1000


def setup(db_path: Path, work: Path) -> dict[str, Any]:
    from sqlalchemy import select

    from dtbd_desktop.db.models import Programme, TrainingClass
    from dtbd_desktop.printing import layouts
    from dtbd_desktop.services import certificates
    from dtbd_desktop.services.startup import open_centre as open_database

    db = open_database(f"sqlite:///{db_path}")
    documents: list[tuple[int, dict[str, str]]] = []
    job = None
    with db.read() as session:
        codes = list(session.scalars(
            select(TrainingClass.code).join(Programme).where(Programme.kind == "fostering").order_by(TrainingClass.id)))
        for code in codes:
            job = certificates.print_job(session, code)
            documents.extend(job.documents)
            if len(documents) >= N:
                break
        cal = certificates.calibration(session)
    db.dispose()
    assert job is not None
    while len(documents) < N:  # a tiny dataset: repeat what there is
        documents.extend(documents[: N - len(documents)])
    full = certificates.PrintJob("BENCH", job.layout, documents[:N])
    pages = full.pages(cal)
    return {"job": full, "cal": cal, "out": work / "certificates.pdf", "floor_out": work / "floor.pdf",
            "texts": [[op for op in page.ops if isinstance(op, layouts.TextOp)] for page in pages],
            "size": (pages[0].width_mm, pages[0].height_mm)}


def run(state: dict[str, Any]) -> int:
    from dtbd_desktop.printing import certificate_pdf

    pages = state["job"].pages(state["cal"])
    return certificate_pdf.write_pdf(state["out"], pages, title="Giấy chứng nhận", author="Trường Chính trị tỉnh")


def floor(state: dict[str, Any]) -> None:
    from dtbd_desktop.printing import certificate_pdf
    from dtbd_desktop.printing import pdf as pdf_common

    pdf_common.register_fonts()
    fonts = certificate_pdf._fonts()
    mm = 72 / 25.4
    width, height = state["size"][0] * mm, state["size"][1] * mm
    c = canvas.Canvas(str(state["floor_out"]), pagesize=(width, height), pageCompression=1)
    for ops in state["texts"]:
        for op in ops:
            c.setFont(fonts.get(op.font, op.font), op.size)
            c.drawString(op.x * mm, height - op.y * mm, op.text)
        c.showPage()
    c.save()


CASES = {"certificates_print_1000": Case("certificates_print_1000", setup, run, floor)}
