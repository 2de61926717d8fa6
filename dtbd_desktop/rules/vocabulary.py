"""The enumerations of the domain, kept as short English words in the database and in the command
line's options: one place for all of them (the schema's checks, the rules, the screens and the
command line use these)."""

from __future__ import annotations

# Enumerations, kept as short English words in the database.
PROGRAMME_KINDS = ("training", "fostering")
PROGRAMME_LEVELS = ("so_cap", "trung_cap", "cao_cap", "fostering")
DOCUMENT_KINDS = ("diploma", "certificate")
MODULE_KINDS = ("module", "graduation_exam", "thesis")
CLASS_MODES = ("full-time", "part-time")
CLASS_STATUSES = ("planned", "running", "finished", "closed")
HALVES = ("morning", "afternoon", "evening")
SESSION_KINDS = ("lesson", "field_trip", "exam")
ENROLMENT_STATUSES = ("enrolled", "withdrawn", "transferred", "completed")
CONFIRMATIONS = ("missing", "received", "unfavourable")
DISCIPLINES = ("none", "reprimand", "warning", "expulsion")
ATTENDANCE_STATUSES = ("present", "excused", "unexcused", "late")
CERTIFICATE_STATUSES = ("issued", "revoked", "replaced")
LECTURER_KINDS = ("full_time", "part_time", "guest")
GENDERS = ("M", "F")
ROLES = ("admin", "office", "lecturer", "viewer")
ORGANISATION_LEVELS = ("province", "district", "commune", "agency")
ORGANISATION_BLOCKS = ("party", "government", "front", "mass", "other")
