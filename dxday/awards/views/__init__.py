"""Pages of awards and honours: the public programme pages and the vote, the applicant's
entries, the juror's scoring, the organiser's screening, assignment, ranking and results."""

from .applicants import (
    entry_edit,
    entry_file,
    entry_file_upload,
    entry_new,
    entry_submit,
    my_entries,
)
from .jurors import juror_conflict, juror_home, juror_review
from .organisers import manage_entry, manage_list, manage_programme
from .public import programme_detail, programme_list, vote

__all__ = [
    "entry_edit", "entry_file", "entry_file_upload", "entry_new", "entry_submit",
    "my_entries", "juror_conflict", "juror_home", "juror_review", "manage_entry",
    "manage_list", "manage_programme", "programme_detail", "programme_list", "vote",
]  # fmt: skip
