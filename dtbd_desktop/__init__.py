"""DTBD Desktop: quản lý đào tạo, bồi dưỡng (training management) for political training centres."""

__version__ = "0.1.0"
