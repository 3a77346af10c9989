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


@pytest.mark.parametrize("role", ["victim", "perpetrator"])
def test_splink_finds_nothing_wrong_in_the_settings_it_is_given(
        role: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Linking turns Splink's settings validation off (it only logs warnings, which linking
    hides); here it runs, on mentions carrying every optional column, and warns of nothing."""
    import logging
    from datetime import date

    import splink

    from dhakira.core.linkage import Mention, build_features, defaults_for, link

    warned: list[str] = []
    validated: list[bool] = []
    real = splink.Linker

    def validating(*args: object, **kwargs: object) -> object:
        validated.append(True)
        linker = real(*args, **{**kwargs, "log_level": logging.WARNING, "validate_settings": True})
        logging.getLogger("splink").setLevel(logging.ERROR)
        return linker

    class Warned(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                warned.append(record.getMessage())

    monkeypatch.setattr(splink, "Linker", validating)
    handler = Warned()
    logging.getLogger("splink").addHandler(handler)
    try:
        day = date(2015, 3, 1)
        mentions = [Mention(i, (name,), ("Abu Omar",), "male", 30 + i % 3, day, day, 7, 70,
                            (3,), "killing", "shooting", 5 + i % 2, i % 4, f"A12345{i % 3}")
                    for i, name in enumerate(["Mohammed Ali", "محمد علي", "Muhammad Ali",
                                              "Khaled Saeed", "خالد سعيد", "Fatima Ahmed"], 1)]
        result = link(build_features(mentions), defaults_for(role))
    finally:
        logging.getLogger("splink").removeHandler(handler)
    assert result.clusters and validated
    assert warned == []
