"""The leak test on the synthetic demo dossier: an anonymised package built from everything
in it shows no name (any variant, any script), no source code name or identity, no fine
coordinate and no image metadata in any byte, directory and zip alike."""

from __future__ import annotations

import pytest
from tests.handover.conftest import listed

from dhakira.apps.dossier.models import NameVariant, ProtectedValue, Source
from dhakira.apps.handover import build as hb
from dhakira.apps.handover import select
from dhakira.core.handover import find_fine_coordinates, find_image_metadata, find_leaks

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_an_anonymised_package_of_the_demo_dossier_leaks_nothing(vault, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.demo import load

    load.build(victims=60, perpetrators=20, informants=4, seed=3, truth_out=tmp_path / "t.json")
    req = hb.Request(selection=select.select("from:2000-01-01"), recipient=listed("press"),
                     purpose="media_anonymised", policy="anonymised", out_dir=tmp_path / "pkg",
                     make_zip=True, override_reason="leak test: send everything")
    res = hb.build(req, user=cast["rana"], override_by=cast["layla"])
    assert len(res.disclosure.items) > 100  # reports and acts: the test looks at real content
    forbidden = list(NameVariant.objects.values_list("text", flat=True))
    forbidden += list(Source.objects.values_list("code_name", flat=True))
    forbidden += list(ProtectedValue.objects.values_list("value", flat=True))
    assert len(forbidden) > 100
    for target in (res.package.directory, res.zip_path):
        assert find_leaks(target, forbidden) == []
        assert find_image_metadata(target) == []
        assert find_fine_coordinates(target, precision=0.1) == []
