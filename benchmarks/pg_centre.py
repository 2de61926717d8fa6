"""What the server benchmarks (concurrent_writers.py, load_pg.py) start from: Trung cấp classes
with their timetables and learners, an administrator, and one office account per PC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

PASSWORD = "mat-khau-thu-tai"
START = dt.date(2026, 3, 2)


def set_up_centre(url: str, learners: Mapping[str, Sequence[tuple[str, str]]], accounts: Sequence[str]) -> None:
    """`learners`: per class code, its learners as (given name, national ID); `accounts`: the
    office accounts' user names (each with PASSWORD)."""
    from dtbd_desktop.db.models import Learner
    from dtbd_desktop.services import classes, enrolments, timetable, users
    from dtbd_desktop.services.learners import person_keys
    from dtbd_desktop.services.startup import open_centre
    from dtbd_desktop.trust import accounts as account_service
    from dtbd_desktop.trust import operations

    db = open_centre(url)
    try:
        with operations.writing(db, None) as s:
            for code in learners:
                classes.create_class(s, code=code, programme="TC", start=START, end=START + dt.timedelta(days=240))
                timetable.generate_timetable(s, code)
        with db.write(raw=True) as s:  # the people, as a roster import would have left them
            people: dict[str, list[int]] = {code: [] for code in learners}
            for code, rows in learners.items():
                for given, national_id in rows:
                    sort_key, search_key = person_keys("Nguyễn", "Văn", given)
                    person = Learner(family_name="Nguyễn", middle_name="Văn", given_name=given, birth_year=1980,
                                     gender="M", national_id=national_id, sort_key=sort_key, search_key=search_key)
                    s.add(person)
                    s.flush()
                    people[code].append(person.id)
        with operations.writing(db, None) as s:
            for code, ids in people.items():
                for learner_id in ids:
                    enrolments.add_learner(s, code, learner_id)
            users.create_user(s, username="quantri", full_name="Quản trị", role="admin", password=PASSWORD)
        admin = account_service.authenticate(db, "quantri", PASSWORD)
        with operations.writing(db, admin) as s:
            for number, name in enumerate(accounts):
                users.create_user(s, username=name, full_name=f"Máy {number}", role="office", password=PASSWORD)
    finally:
        db.dispose()
