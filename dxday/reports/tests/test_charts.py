"""The chart builder: one scale per unit of measure, labels wrapped on whole words, a title on
every chart (issue 10: "…(VNeID) mứ", and a views chart scaled to 185,000 hiding the rest)."""

import re

import pytest

from dxday.reports.charts import Bar, charts_by_unit, hbar_chart, wrap_label

VNEID = "Tài khoản định danh điện tử (VNeID) mức 2 được kích hoạt nhờ Tổ công nghệ số cộng đồng"


def _texts(svg: str) -> list[str]:
    """Every line of text the chart prints (each tspan, or a text without tspans)."""
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    lines += re.findall(r"<text[^>]*>([^<]+)</text>", svg)
    return lines


def _bar_widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect x="0" y="[\d.]+" width="([\d.]+)"', svg)]


def test_a_long_label_is_wrapped_on_words_never_cut():
    svg = str(hbar_chart([Bar(VNEID, 640, unit="tài khoản")], title="Tài khoản"))
    printed = " ".join(_texts(svg)).split()
    for word in VNEID.split():
        assert word in printed, word
    assert "mứ" not in printed
    assert svg.count("<tspan") >= 3  # the title's line and the label's two lines


def test_wrap_label_breaks_between_words_and_keeps_every_character():
    lines = wrap_label(VNEID, width=20)
    assert len(lines) > 1
    assert all(len(line) <= 20 for line in lines)
    assert " ".join(lines) == VNEID
    # Only a single word longer than a line is split.
    assert wrap_label("a" * 25, width=10) == ["a" * 9 + "-", "a" * 9 + "-", "a" * 7]


def test_every_chart_has_a_visible_title():
    svg = str(hbar_chart([Bar("Tin, bài viết đã đăng", 234, unit="bài")], title="Tin, bài"))
    assert "<title>Tin, bài</title>" in svg
    assert 'class="dx-chart-title"' in svg and "Tin, bài" in _texts(svg)
    with pytest.raises(ValueError):
        hbar_chart([Bar("x", 1)], title="  ")


def test_one_chart_never_mixes_units_of_measure():
    with pytest.raises(ValueError):
        hbar_chart([Bar("Lượt xem", 185_000, unit="lượt"), Bar("Hộ", 1_450, unit="hộ")], title="T")


def test_figures_of_different_units_get_a_scale_each():
    bars = [
        Bar("Lượt tiếp cận, lượt xem", 185_000, unit="lượt"),
        Bar("Hộ gia đình được đến hướng dẫn", 1_450, unit="hộ"),
        Bar("Người dân được hướng dẫn kỹ năng số", 2_300, unit="người"),
        Bar("Lượt đăng ký Bình dân học vụ số", 900, unit="lượt"),
    ]
    charts = [str(c) for c in charts_by_unit(bars, title="Chỉ tiêu kết quả")]
    assert len(charts) == 3
    views, households, people = charts
    assert "(đơn vị tính: lượt)" in views and "(đơn vị tính: hộ)" in households
    assert "Hộ gia đình" not in views and "Lượt tiếp cận" not in households
    # The households bar fills its own chart instead of being a sliver of 185,000.
    assert max(_bar_widths(households)) == max(_bar_widths(views))
    assert max(_bar_widths(people)) == max(_bar_widths(views))
    # Numbers carry their unit.
    assert "1.450 hộ" in _texts(households)


def test_charts_fit_a_phone_and_print_no_link():
    svg = str(hbar_chart([Bar(VNEID, 640, unit="tài khoản")], title="T"))
    assert 'width="100%"' in svg and "max-width:340px" in svg
    assert "href" not in svg
