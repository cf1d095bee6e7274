"""The topic catalogue of the learning festival (what a class teaches).

A fixed list in code, not a table: it is small, it changes with a release, and the roll-ups
key on its codes, which then mean the same in every database and every test (a transactional
test's flush cannot empty it).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    BASIC = "ky-nang-co-ban", _("Kỹ năng số cơ bản")
    VNEID = "vneid", _("Định danh điện tử VNeID")
    PUBLIC_SERVICES = "dich-vu-cong", _("Dịch vụ công trực tuyến")
    CASHLESS = "thanh-toan", _("Thanh toán không dùng tiền mặt")
    ECOMMERCE = "thuong-mai-dien-tu", _("Thương mại điện tử")
    SAFETY = "an-toan-so", _("An toàn trên không gian mạng")
    AI = "ai", _("Trí tuệ nhân tạo (AI)")
    BIG_DATA = "big-data", _("Dữ liệu lớn (Big Data)")
    DIGITAL_WORK = "lam-viec-so", _("Kỹ năng làm việc trong môi trường số")
    PLATFORMS = "nen-tang-so", _("Nền tảng số trong đời sống")


class AgeGroup(models.TextChoices):
    UNDER_18 = "u18", _("Dưới 18 tuổi")
    ADULT = "18-59", _("Từ 18 đến 59 tuổi")
    SENIOR = "60+", _("Từ 60 tuổi")
