"""What the static verification page carries (`reports.verify_page` writes it): the centre, the
keys a genuine document may be signed with, and the revocation list as of the day it is made.

Only what a stranger may see: the keys are public, and a revoked or replaced document is listed by
its serial and issue date (what its QR code names), with the serial and date of the document that
replaced it; no names, birth dates or reasons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from dtbd_desktop.db.models import Certificate
from dtbd_desktop.services import signing_keys
from dtbd_desktop.services.settings import load_letterhead, verify_page_link
from dtbd_desktop.trust import signing


@dataclass(frozen=True)
class PageKey:
    key_id: str
    public_key: str  # base32, as recorded


@dataclass(frozen=True)
class PageRevocation:
    serial: str
    issue_date: dt.date
    status: str  # revoked | replaced
    replaced_by: str | None = None
    replaced_on: dt.date | None = None


@dataclass(frozen=True)
class VerifyPageData:
    centre_name: str
    superior_body: str
    made_on: dt.date
    keys: list[PageKey]
    revocations: list[PageRevocation]
    link: str | None  # where the centre said it publishes the page (the QR codes' links)

    def as_json(self) -> dict[str, Any]:
        """The page's data block (read by its script)."""
        return {
            "centre": self.centre_name, "made_on": self.made_on.isoformat(),
            "keys": [{"id": k.key_id, "key": k.public_key} for k in self.keys],
            "revoked": [{"serial": r.serial, "issued": r.issue_date.isoformat(), "status": r.status,
                         "by": r.replaced_by, "by_issued": r.replaced_on.isoformat() if r.replaced_on else None}
                        for r in self.revocations],
        }


def verify_page_data(session: Session, today: dt.date | None = None) -> VerifyPageData:
    """The centre's trusted keys (enrolled, active or retired: documents they signed stay genuine)
    and every revoked or replaced document, in register order."""
    head = load_letterhead(session)
    keys = [PageKey(signing.key_id(public), public) for public in signing_keys.trusted_keys(session)]
    newer = aliased(Certificate)
    rows = session.execute(
        select(Certificate.serial, Certificate.issue_date, Certificate.status, newer.serial, newer.issue_date)
        .outerjoin(newer, newer.replaces_id == Certificate.id)
        .where(Certificate.status.in_(("revoked", "replaced")))
        .order_by(Certificate.issue_date, Certificate.register_id, Certificate.sequence, newer.id))
    revocations: dict[tuple[str, dt.date], PageRevocation] = {}
    for serial, issued, status, by, by_issued in rows:
        # The latest replacement wins when a line was somehow replaced twice.
        revocations[(serial, issued)] = PageRevocation(serial, issued, status, by if status == "replaced" else None,
                                                       by_issued if status == "replaced" else None)
    return VerifyPageData(head.centre_name, head.superior_body, today or dt.date.today(), keys,
                          list(revocations.values()), verify_page_link(session))
