"""Tests of ``jembatan match`` through its ``main`` function."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jembatan.matching.cli import main

GOOD: dict[str, Any] = {
    "candidates": [{"id": "c1"}, {"id": "c2"}, {"id": "c3"}],
    "job_orders": [{"id": "j1", "slots": 1}, {"id": "j2", "slots": 1}],
    "edges": [
        {
            "candidate": "c1",
            "job_order": "j1",
            "weight": 12.5,
            "candidate_rank": 1,
            "job_order_rank": 4,
        },
        {
            "candidate": "c2",
            "job_order": "j1",
            "weight": 3,
            "candidate_rank": 1,
            "job_order_rank": 1,
        },
        {
            "candidate": "c2",
            "job_order": "j2",
            "weight": 2,
            "candidate_rank": 2,
            "job_order_rank": 1,
        },
    ],
}


def run(argv: list[str]) -> tuple[int, str, str]:
    """Run the command, returning exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, data: object, name: str = "instance.json") -> Path:
    """Write data as JSON and return the path."""
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def with_edge_change(index: int, **change: object) -> dict[str, Any]:
    """GOOD with one edge modified."""
    data = json.loads(json.dumps(GOOD))
    data["edges"][index].update(change)
    return data


def test_optimal_result_is_printed_as_json_on_stdout(tmp_path: Path) -> None:
    code, out, err = run([str(write(tmp_path, GOOD)), "--method", "optimal"])
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["method"] == "optimal"
    assert result["assignments"] == [
        {"candidate": "c1", "job_order": "j1"},
        {"candidate": "c2", "job_order": "j2"},
    ]
    assert result["placed"] == 2
    assert result["total_weight"] == 14.5
    assert result["unplaced"] == ["c3"]
    assert [e["reason"] for e in result["explanations"]] == [
        "placed",
        "placed",
        "no_eligible_job_order",
    ]


def test_stable_result_is_written_to_the_out_file_and_not_to_stdout(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    code, out, err = run([str(write(tmp_path, GOOD)), "--method", "stable", "--out", str(target)])
    assert (code, out, err) == (0, "", "")
    result = json.loads(target.read_text(encoding="utf-8"))
    assert result["assignments"] == [{"candidate": "c2", "job_order": "j1"}]
    assert result["explanations"][0]["reason"] == "outranked"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["instance.json", "result.json"]


def test_out_file_replaces_a_previous_result(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    target.write_text("old", encoding="utf-8")
    code, _, _ = run([str(write(tmp_path, GOOD)), "--method", "optimal", "--out", str(target)])
    assert code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["placed"] == 2


def test_running_twice_gives_byte_identical_output(tmp_path: Path) -> None:
    path = str(write(tmp_path, GOOD))
    assert run([path, "--method", "optimal"]) == run([path, "--method", "optimal"])


BAD_INSTANCES: list[tuple[str, object, str]] = [
    (
        "unknown job order",
        with_edge_change(1, job_order="j9"),
        'edges[1]: job_order "j9" is not in job_orders',
    ),
    (
        "unknown candidate",
        with_edge_change(0, candidate="zz"),
        'edges[0]: candidate "zz" is not in candidates',
    ),
    (
        "duplicate candidate",
        {**GOOD, "candidates": [{"id": "c1"}, {"id": "c1"}]},
        'candidates[1]: duplicate id "c1" (already candidates[0])',
    ),
    (
        "negative slots",
        {**GOOD, "job_orders": [{"id": "j1", "slots": -3}, {"id": "j2", "slots": 1}]},
        "job_orders[0]: slots must be a non-negative integer, got -3",
    ),
    (
        "fractional slots",
        {**GOOD, "job_orders": [{"id": "j1", "slots": 1.5}, {"id": "j2", "slots": 1}]},
        "job_orders[0]: slots must be a non-negative integer",
    ),
    (
        "negative weight",
        with_edge_change(2, weight=-0.5),
        "edges[2]: weight must be finite and >= 0, got -0.5",
    ),
    (
        "zero rank",
        with_edge_change(2, candidate_rank=0),
        "edges[2]: candidate_rank must be an integer between 1",
    ),
    (
        "fractional rank",
        with_edge_change(2, job_order_rank=1.5),
        "edges[2]: job_order_rank must be a positive integer",
    ),
    (
        "duplicate edge",
        with_edge_change(2, job_order="j1", candidate_rank=3, job_order_rank=9),
        'edges[2]: duplicate of edges[1] (candidate "c2", job_order "j1")',
    ),
    (
        "tied candidate rank",
        with_edge_change(2, candidate_rank=1),
        'edges[2]: candidate_rank 1 is tied with edges[1] for candidate "c2"',
    ),
    (
        "tied job order rank",
        with_edge_change(1, job_order_rank=4),
        'edges[1]: job_order_rank 4 is tied with edges[0] for job_order "j1"',
    ),
    ("missing key", {"candidates": [], "job_orders": []}, 'instance: missing key "edges"'),
    ("wrong type", {**GOOD, "edges": {}}, "edges: must be a list"),
]


@pytest.mark.parametrize(
    ("data", "message"), [b[1:] for b in BAD_INSTANCES], ids=[b[0] for b in BAD_INSTANCES]
)
def test_bad_instance_exits_2_with_a_message_and_writes_nothing(
    tmp_path: Path, data: object, message: str
) -> None:
    target = tmp_path / "result.json"
    code, out, err = run([str(write(tmp_path, data)), "--method", "optimal", "--out", str(target)])
    assert code == 2
    assert out == ""
    assert message in err
    assert err.startswith("jembatan match: error: ")
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["instance.json"]


def test_nan_weight_written_as_json_nan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(with_edge_change(0, weight=float("nan"))), encoding="utf-8")
    code, _, err = run([str(path), "--method", "stable"])
    assert code == 2
    assert "edges[0]: weight must be finite and >= 0, got nan" in err


def test_malformed_json_exits_2_naming_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "instance.json"
    path.write_text('{"candidates": [\n  {"id": "c1"},,\n]}', encoding="utf-8")
    target = tmp_path / "result.json"
    code, out, err = run([str(path), "--method", "optimal", "--out", str(target)])
    assert (code, out) == (2, "")
    assert f"{path}: malformed JSON at line 2 column" in err
    assert not target.exists()


def test_missing_instance_file_exits_2_saying_it_cannot_be_read(tmp_path: Path) -> None:
    code, _, err = run([str(tmp_path / "nope.json"), "--method", "optimal"])
    assert code == 2
    assert "nope.json: cannot read file (No such file or directory)" in err


def test_instance_that_is_not_utf8_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "instance.json"
    path.write_bytes(b"\xff\xfe{}")
    code, _, err = run([str(path), "--method", "optimal"])
    assert code == 2
    assert "cannot read file" in err


def test_missing_method_is_a_usage_error_with_exit_2(tmp_path: Path) -> None:
    code, out, err = run([str(write(tmp_path, GOOD))])
    assert (code, out) == (2, "")
    assert err.startswith("usage: jembatan match")
    assert "--method" in err


def test_unknown_method_is_a_usage_error_with_exit_2(tmp_path: Path) -> None:
    code, _, err = run([str(write(tmp_path, GOOD)), "--method", "greedy"])
    assert code == 2
    assert "invalid choice: 'greedy'" in err


def test_help_goes_to_the_given_stdout_and_exits_0() -> None:
    code, out, _ = run(["--help"])
    assert code == 0
    assert out.startswith("usage: jembatan match")


def test_unwritable_out_path_exits_1_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "result.json"
    code, out, err = run([str(write(tmp_path, GOOD)), "--method", "optimal", "--out", str(target)])
    assert (code, out) == (1, "")
    assert "cannot write" in err
    assert [p.name for p in tmp_path.iterdir()] == ["instance.json"]


def test_module_can_be_run_with_python_dash_m(tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "jembatan.matching.cli",
            str(write(tmp_path, GOOD)),
            "--method",
            "stable",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["placed"] == 1
