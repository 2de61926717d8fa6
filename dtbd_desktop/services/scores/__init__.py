"""Scores of a class: the sheet of one module, entering and correcting scores, finalising a
module, retakes, a learner's transcript with its history.

* `class_scores`: the whole class read at once (`load_class_scores`: modules and plans,
  learners in roster order, every mark, the finalised modules), who must retake;
* `sheets`: one module's sheet for the grid and the fill-in workbook (`load_score_sheet`, in
  one query), and `validate_cell`, which says why a cell's text is refused (Vietnamese);
* `entry`: the operations: `set_score` / `set_scores` (a pasted block all-or-nothing, each
  entry checked against the state the block builds up), `finalise_module`,
  `unfinalise_module`;
* `transcripts`: a learner's transcript with the history of changes.

Every change is audited in the same transaction (who, when, old, new, reason). After a module
is finalised (table `score_locks`) a change needs `allow_locked=True`, the
"override_score_lock" permission of the acting account and a reason.

Storage: one `Score` row per (enrolment, module, attempt, component); component '' is the
module's overall score, entered directly; the components of an assessment plan are stored under
their codes and the module score is computed from them (`rules.scores.attempt_scores`).

Audit entries for scores: entity "score", entity_id "<enrolment id>/<module id>/<attempt>/<component>",
field "<module code>" or "<module code>/<component>", old and new values as "8.5".

The fill-in workbook (score entry by another road, with the same validation) is
`workbooks.scores`.
"""

from dtbd_desktop.services.scores.class_scores import (
    INACTIVE,
    ClassScores,
    LearnerLine,
    ModuleDef,
    RetakeRow,
    class_rules,
    find_learner,
    load_class_scores,
    retake_roster,
)
from dtbd_desktop.services.scores.entry import (
    FinaliseResult,
    ScoreChange,
    ScoreEntry,
    finalise_module,
    finalised_modules,
    set_score,
    set_scores,
    unfinalise_module,
    unscored_learners,
)
from dtbd_desktop.services.scores.sheets import (
    CellCheck,
    ScoreSheet,
    SheetColumn,
    SheetRow,
    attempt_label,
    load_score_sheet,
    sheet_columns,
    validate_cell,
)
from dtbd_desktop.services.scores.transcripts import (
    CONDUCT_FIELDS,
    HistoryEntry,
    Transcript,
    learner_history,
    learner_transcript,
)

__all__ = [
    "CONDUCT_FIELDS", "INACTIVE", "CellCheck", "ClassScores", "FinaliseResult", "HistoryEntry", "LearnerLine",
    "ModuleDef", "RetakeRow", "ScoreChange", "ScoreEntry", "ScoreSheet", "SheetColumn", "SheetRow", "Transcript",
    "attempt_label", "class_rules", "find_learner", "finalise_module", "finalised_modules", "learner_history",
    "learner_transcript", "load_class_scores", "load_score_sheet", "retake_roster", "set_score", "set_scores",
    "sheet_columns", "unfinalise_module", "unscored_learners", "validate_cell",
]
