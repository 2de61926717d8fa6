"""What heads every official paper: the issuing body on the left, the Party's or the State's
heading on the right, and who signs (read from the settings by `services.settings`)."""

from __future__ import annotations

from dataclasses import dataclass

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"


@dataclass(frozen=True)
class Letterhead:
    """Who issues a document (left of the letterhead) and who signs it, from the settings."""

    superior_body: str  # cơ quan chủ quản, e.g. "TỈNH ỦY LONG AN"; may be empty
    centre_name: str  # e.g. "TRƯỜNG CHÍNH TRỊ TỈNH LONG AN"
    place_name: str  # e.g. "Long An", for "Long An, ngày 05 tháng 3 năm 2025"
    director_title: str  # e.g. "HIỆU TRƯỞNG", "GIÁM ĐỐC"
    director_name: str
    party_heading: bool  # "ĐẢNG CỘNG SẢN VIỆT NAM" on the right, else the national heading
