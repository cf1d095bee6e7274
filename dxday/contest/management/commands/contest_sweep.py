"""Close contest attempts past their deadline: once, or every N seconds with --loop."""

import time

from django.core.management.base import BaseCommand

from dxday.contest.services import attempts_sweep


class Command(BaseCommand):
    help = "Đóng các lượt thi đã quá giờ (thời điểm kết thúc = hạn nộp)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, help="chạy lại sau mỗi N giây")

    def handle(self, *args, loop: int = 0, **options):
        while True:
            closed = attempts_sweep()
            self.stdout.write(f"closed {closed}")
            if not loop:
                return
            time.sleep(loop)
