"""Inline SVG charts: readable numbers, accessible names, nothing injected through labels."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ivr.analytics import charts

SVG = "{http://www.w3.org/2000/svg}"


def test_time_to_human_histogram_counts_each_wait_in_its_bin():
    bins = dict(charts.bin_counts([5, 14.9, 15, 95, 400], charts.TIME_TO_HUMAN_BINS))

    assert bins["0–15"] == 2
    assert bins["15–30"] == 1
    assert bins["90–120"] == 1
    assert bins["180+"] == 1


def test_histogram_is_valid_svg_with_an_accessible_name_and_the_90_second_target():
    svg = ET.fromstring(charts.histogram([12, 20, 33, 80], "Time to a human"))

    assert svg.get("role") == "img" and svg.get("aria-label") == "Time to a human"
    assert len(svg.findall(f"{SVG}rect")) == len(charts.TIME_TO_HUMAN_BINS)
    assert any("90 s target" in (t.text or "") for t in svg.iter(f"{SVG}text"))


def test_bar_labels_are_escaped_so_a_caller_cannot_inject_markup():
    svg = charts.bar_chart([("<script>alert(1)</script>", 3), ("hours", 5)], "By bucket")

    assert "<script>" not in svg
    assert ET.fromstring(svg).find(f"{SVG}title").text == "By bucket"


def test_an_empty_period_draws_a_no_data_note_instead_of_failing():
    assert "No data" in charts.bar_chart([], "By bucket")
    assert "No data" in charts.histogram([], "Time to a human")
