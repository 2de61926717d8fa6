"""Diplomas and certificates: issue, print (and reprint), revoke, reissue, verify; the register.

* `issuing`: **issue** numbers and registers, in one transaction, a document for every
  eligible learner of a class who holds no live document of the class yet (what is printed
  is frozen in the register line at that moment); **revoke** voids a document, its register
  line staying with the reason; **reissue** gives a lost or corrected document a new number in
  the current register, linked to the old one (which becomes "replaced");
* `print_jobs`: **print** writes the live documents of a class to one PDF; each print adds one
  to the document's print count (a reprint, never a new document);
* `verification`: **verify** tells genuine, revoked, replaced or unknown from a short code, a
  scanned QR code or a serial, with no network (see `trust.signing`);
* `register`: the register (sổ gốc) of a year with its appendix, and the register screen's lines;
* `layout_settings`: the centre's layouts, the layout of each programme, printer calibrations;
* `records`: labels, the row shown for a document, finding one by serial or short code.

The numbering itself (patterns, the lock that keeps numbers gap-free) is
`services.certificates_numbering`. Every issue, print, reprint, revoke and reissue is written
to the audit log in the same transaction.
"""

from dtbd_desktop.services.certificates.issuing import (
    LEFT_CLASS,
    ClassDocuments,
    ClassLine,
    class_documents,
    issue_for_class,
    reissue,
    revoke,
)
from dtbd_desktop.services.certificates.layout_settings import (
    calibration,
    layout_for_class,
    load_layouts,
    programme_layouts,
    reset_layout,
    save_calibration,
    save_layout,
    set_programme_layout,
)
from dtbd_desktop.services.certificates.print_jobs import (
    DOCUMENT_TITLES,
    PrintJob,
    PrintResult,
    document_values,
    print_class,
    print_job,
    record_prints,
)
from dtbd_desktop.services.certificates.records import (
    LIVE,
    STATUS_LABELS,
    CertificateRow,
    Progress,
    certificate_detail,
    find_by_serial,
    find_by_short_code,
    get_by_serial,
    kind_label,
    short_of,
    status_label,
    to_row,
)
from dtbd_desktop.services.certificates.register import (
    AppendixLine,
    RegisterLine,
    RegisterSection,
    list_certificates,
    register_sections,
    register_years,
    registers,
)
from dtbd_desktop.services.certificates.verification import Verification, public_keys, verify

__all__ = [
    "DOCUMENT_TITLES", "LEFT_CLASS", "LIVE", "STATUS_LABELS", "AppendixLine", "CertificateRow", "ClassDocuments",
    "ClassLine", "PrintJob", "PrintResult", "Progress", "RegisterLine", "RegisterSection", "Verification",
    "calibration", "certificate_detail", "class_documents", "document_values", "find_by_serial",
    "find_by_short_code", "get_by_serial", "issue_for_class", "kind_label", "layout_for_class", "list_certificates",
    "load_layouts", "print_class", "print_job", "programme_layouts", "public_keys", "record_prints",
    "register_sections", "register_years", "registers", "reissue", "reset_layout", "revoke", "save_calibration",
    "save_layout", "set_programme_layout", "short_of", "status_label", "to_row", "verify",
]
