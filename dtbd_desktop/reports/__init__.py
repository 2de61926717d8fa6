"""The centre's documents, PDF and XLSX: rosters, sign-in sheets and attendance letters, review
and decision lists, score sheets and transcripts, the register, the annual report.

Each module gets its data from the services and renders it, drawing with `printing` (PDF) and
`workbooks.xlsx` (XLSX); every document is written whole or not at all (`base.files`) and heads
the same way (`printing.letterhead`, filled by `services.settings.load_letterhead`).
"""
