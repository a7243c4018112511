"""Outputs are written whole or not at all; a user's folder is never touched."""

from __future__ import annotations

import pytest

from greenscen.errors import ScenarioError
from greenscen.io.output import OUTPUT_MARKER, output_dir


def test_written_whole_on_success(tmp_path):
    out = tmp_path / "out"
    with output_dir(out) as tmp:
        (tmp / "a.txt").write_text("1")
    assert (out / "a.txt").read_text() == "1"
    assert "a.txt" in (out / OUTPUT_MARKER).read_text()


def test_nothing_written_on_failure(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        with output_dir(out) as tmp:
            (tmp / "a.txt").write_text("1")
            raise RuntimeError("boom")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_old_results_kept_when_new_run_fails(tmp_path):
    out = tmp_path / "out"
    with output_dir(out) as tmp:
        (tmp / "a.txt").write_text("old")
    with pytest.raises(RuntimeError):
        with output_dir(out, overwrite=True) as tmp:
            (tmp / "a.txt").write_text("new")
            raise RuntimeError("boom")
    assert (out / "a.txt").read_text() == "old"


def test_existing_results_need_overwrite(tmp_path):
    out = tmp_path / "out"
    with output_dir(out) as tmp:
        (tmp / "a.txt").write_text("old")
    with pytest.raises(ScenarioError, match="--overwrite"):
        with output_dir(out):
            pass
    with output_dir(out, overwrite=True) as tmp:
        (tmp / "b.txt").write_text("new")
    assert not (out / "a.txt").exists() and (out / "b.txt").read_text() == "new"


def test_user_folder_never_replaced(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    with pytest.raises(ScenarioError, match="not written by greenscen"):
        with output_dir(out, overwrite=True):
            pass
    assert (out / "notes.txt").read_text() == "precious"


def test_user_file_added_to_results_folder_blocks_overwrite(tmp_path):
    out = tmp_path / "out"
    with output_dir(out) as tmp:
        (tmp / "a.txt").write_text("old")
    (out / "my_analysis.xlsx").write_text("user data")
    with pytest.raises(ScenarioError, match="my_analysis.xlsx"):
        with output_dir(out, overwrite=True):
            pass
    assert (out / "my_analysis.xlsx").exists()
