"""The rules of the centre's work as pure functions over plain data: rule sets and their defaults,
scores and graduation, attendance, timetables, statistics. No database, no files, no Qt; tested
by tables of cases."""
