"""Every write of the contest capability (a package: bank, draw, attempts, fair play)."""

from .attempts import (
    Started,
    answers_save,
    attempt_questions,
    attempt_start,
    attempt_submit,
    attempts_sweep,
)
from .bank import (
    clean_options,
    contest_create,
    flag_review,
    open_round_using,
    question_create,
    question_set_status,
    question_update,
    round_create,
    unit_officials_set,
)
from .draw import bank_for, bank_forget
from .fairplay import flag_raise, origin_key
from .participants import participant_register
from .winners import contest_ranking, contest_winners_certify, round_winners_certify

__all__ = [
    "Started", "answers_save", "attempt_questions", "attempt_start", "attempt_submit",
    "attempts_sweep", "bank_for", "bank_forget", "clean_options", "contest_create",
    "contest_ranking", "contest_winners_certify", "round_winners_certify",
    "flag_raise", "open_round_using", "origin_key", "participant_register",
    "question_create", "question_set_status", "question_update", "round_create",
    "flag_review", "unit_officials_set",
]  # fmt: skip
