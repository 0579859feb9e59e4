"""A frozen pack: the same content gives the same hash and bytes (in another process too), a
changed number changes the hash, and ``verify`` notices a file that is not the one frozen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from pack_example import example_content, example_data

from ioc_core.shared.errors import ValidationFailed
from ioc_core.socio_economic.pack.freeze import FrozenPack, content_hash, freeze, verify
from ioc_core.socio_economic.pack.model import PackContent, parse_content

pytestmark = pytest.mark.unit
HERE = Path(__file__).resolve().parent
XLSX, PDF = "bao-cao-kt-xh-2026-10.xlsx", "bao-cao-kt-xh-2026-10.pdf"


@pytest.fixture(scope="module")
def frozen() -> FrozenPack:
    return freeze(example_content())


def test_the_manifest_names_both_files_with_their_hashes(frozen: FrozenPack) -> None:
    manifest = frozen.manifest
    assert set(manifest.files) == {XLSX, PDF}
    assert manifest.files[PDF].media_type == "application/pdf"
    assert manifest.files[XLSX].media_type.endswith("spreadsheetml.sheet")
    assert manifest.files[PDF].size == len(frozen.files[PDF])
    assert manifest.content_sha256 == content_hash(example_content())
    assert frozen.pack_id == manifest.content_sha256[:16]
    assert verify(frozen) == []
    stored = json.loads(manifest.to_json())
    assert stored["period"] == "2026-10" and stored["cutoff"] == "2026-10-31"
    assert list(stored) == sorted(stored)  # canonical: sorted keys


def test_the_same_content_gives_the_same_hash_and_bytes(frozen: FrozenPack) -> None:
    again = freeze(example_content())
    assert again.manifest == frozen.manifest
    assert again.files == frozen.files


def test_the_hash_is_of_the_letters_not_of_how_they_were_typed() -> None:
    data = example_data()
    data["subtitle"] = unicodedata.normalize("NFD", data["subtitle"])
    assert content_hash(PackContent.model_validate(data)) == content_hash(example_content())


def test_a_changed_number_changes_the_hash_and_both_files(frozen: FrozenPack) -> None:
    data = example_data()
    data["groups"][1]["rows"][0]["value"] = 10851.1
    revised = freeze(PackContent.model_validate(data))
    assert revised.manifest.content_sha256 != frozen.manifest.content_sha256
    for name in (XLSX, PDF):
        assert revised.manifest.files[name].sha256 != frozen.manifest.files[name].sha256


def test_verify_names_a_file_that_is_not_the_one_frozen(frozen: FrozenPack) -> None:
    pdf = bytearray(frozen.files[PDF])
    pdf[len(pdf) // 2] ^= 0x01
    tampered = replace(frozen, files={**frozen.files, PDF: bytes(pdf)})
    assert verify(tampered) == [f"{PDF}: its SHA-256 differs from the manifest's"]
    cut = replace(frozen, files={XLSX: frozen.files[XLSX][:-1], "extra.txt": b"x"})
    assert verify(cut) == [
        f"{PDF}: missing",
        "extra.txt: not in the manifest",
        f"{XLSX}: {len(frozen.files[XLSX]) - 1} bytes, the manifest says {len(frozen.files[XLSX])}",
    ]


def test_another_process_freezes_the_same_bytes(frozen: FrozenPack) -> None:
    script = (
        "import json, sys; from pack_example import example_content;"
        "from ioc_core.socio_economic.pack.freeze import freeze;"
        "sys.stdout.write(freeze(example_content()).manifest.to_json().decode())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": os.pathsep.join([str(HERE), *sys.path])}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, check=True, timeout=120
    )
    assert out.stdout == frozen.manifest.to_json()


def test_bad_content_is_a_validation_error_naming_the_field() -> None:
    data = example_data()
    data["groups"][2]["rows"][3]["value"] = "mười"
    data["period"] = "2026-13"
    data["groups"][0]["rows"][0]["forecast"] = float("nan")  # a failed computation upstream
    with pytest.raises(ValidationFailed) as raised:
        parse_content(data)
    fields = {p.field for p in raised.value.problems}
    assert fields == {"groups[2].rows[3].value", "period", "groups[0].rows[0].forecast"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["groups"][1]["rows"].append(dict(d["groups"][0]["rows"][0])),
            "indicator grdp_growth appears twice",
        ),
        (lambda d: d["charts"][0]["series"][0]["values"].pop(), "12 x labels but Năm 2026 has 11 values"),
        (lambda d: d.update(cutoff="2026-11-30"), "is after the issue date"),
        (lambda d: d["charts"][0].update(target_band={"low": 9, "high": 1}), "low 9.0 is above high 1.0"),
    ],
)
def test_inconsistent_content_is_refused_with_what_is_wrong(change: object, message: str) -> None:
    data = example_data()
    change(data)  # type: ignore[operator]
    with pytest.raises(ValidationFailed) as raised:
        parse_content(data)
    assert any(message in p.message for p in raised.value.problems), raised.value.problems


def test_a_recipient_list_longer_than_a_report_has_is_refused_by_field() -> None:
    from ioc_core.socio_economic.pack.model import parse_content

    data = example_data()
    data["recipients"] = [f"Đơn vị {n}" for n in range(60)]  # would not fit on a page: a 500 before
    with pytest.raises(ValidationFailed) as refused:
        parse_content(data)
    assert [p.field for p in refused.value.problems] == ["recipients"]
