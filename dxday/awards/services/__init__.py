"""Every write of the awards app (programmes, entries, jury, results, honours)."""

from .eligibility import eligibility_errors
from .entries import (
    applicant_link,
    applicant_register,
    entries_window_open,
    entry_file_add,
    entry_reopen,
    entry_save,
    entry_screen,
    entry_submit,
)
from .honours import candidate_nominate, candidate_shortlist, vote_cast
from .jury import (
    assignment_add,
    assignment_remove,
    assignments_auto,
    conflict_add,
    conflicted,
    criterion_weight_set,
    phase_set,
    review_save,
)
from .results import result_set, results_publish

__all__ = [
    "eligibility_errors", "applicant_link", "applicant_register", "entries_window_open",
    "entry_file_add",
    "entry_reopen", "entry_save", "entry_screen", "entry_submit", "candidate_nominate",
    "candidate_shortlist", "vote_cast", "assignment_add", "assignment_remove",
    "assignments_auto", "conflict_add", "conflicted", "criterion_weight_set", "phase_set",
    "review_save", "result_set", "results_publish",
]  # fmt: skip
