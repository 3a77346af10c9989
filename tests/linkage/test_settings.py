"""Settings are versioned data that round-trip through JSON and refuse what they do not know."""

from __future__ import annotations

import json

import pytest

from dhakira.core.linkage import SETTINGS_VERSION, LinkageSettings, SettingsError


def test_it_round_trips_through_json() -> None:
    s = LinkageSettings(review_threshold=0.7, name_thresholds=(0.95, 0.85), auto_link=True)
    again = LinkageSettings.from_json(s.to_json())
    assert again == s
    assert again.name_thresholds == (0.95, 0.85)  # lists come back as tuples


def test_it_records_its_version() -> None:
    assert json.loads(LinkageSettings().to_json())["version"] == SETTINGS_VERSION


def test_it_leaves_auto_linking_off_by_default() -> None:
    assert LinkageSettings().auto_link is False


def test_it_rejects_an_unknown_key() -> None:
    with pytest.raises(SettingsError, match="^unknown linkage setting: review_treshold$"):
        LinkageSettings.from_dict({"review_treshold": 0.5})
    with pytest.raises(SettingsError, match="^unknown linkage settings: a, review_treshold$"):
        LinkageSettings.from_dict({"review_treshold": 0.5, "a": 1})


def test_it_rejects_another_version() -> None:
    with pytest.raises(SettingsError, match="not supported"):
        LinkageSettings.from_dict({"version": "dhakira-linkage-0"})


@pytest.mark.parametrize("value", [0.0, 1.5, -0.1])
def test_it_rejects_a_threshold_outside_zero_one(value: float) -> None:
    with pytest.raises(SettingsError, match="review_threshold"):
        LinkageSettings(review_threshold=value)


def test_it_rejects_increasing_name_thresholds() -> None:
    with pytest.raises(SettingsError, match="decreasing"):
        LinkageSettings(name_thresholds=(0.8, 0.9))


def test_it_rejects_json_that_is_not_an_object() -> None:
    with pytest.raises(SettingsError):
        LinkageSettings.from_json("[1, 2]")
    with pytest.raises(SettingsError, match="not valid JSON"):
        LinkageSettings.from_json("{")
