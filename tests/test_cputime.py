"""The times plugin's summary (tests/cputime.py): tests ranked by CPU, and the processes' own
lines counted apart, so that the totals include what no test's line carries."""

from __future__ import annotations

from pathlib import Path

from tests.cputime import summary


def test_tests_are_ranked_by_cpu_and_the_processes_carry_the_rest(tmp_path: Path) -> None:
    times = tmp_path / "times.tsv"
    times.write_text("tests/a.py::cheap\t9.0\t0.5\t0.0\tgw0\n"
                     "tests/b.py::costly\t2.0\t1.0\t3.0\tgw1\n"
                     "tests/c.py::old_format\t1.0\t0.2\t0.3\n"  # lines written before `process`
                     "process:gw0\t30.0\t6.0\t0.0\tgw0\n"
                     "process:gw1\t30.0\t2.0\t4.0\tgw1\n")
    lines = summary(str(times), 2).splitlines()
    assert lines[0] == "3 tests: CPU 5.0 s (own 1.7 s, subprocesses 3.3 s)"
    assert lines[1] == ("2 processes: CPU 12.0 s, of which 7.0 s in no test's line "
                        "(collection, children reaped at the end)")
    assert [line.split()[-1] for line in lines[3:]] == ["tests/b.py::costly", "tests/a.py::cheap"]


def test_without_process_lines_the_summary_counts_the_tests_only(tmp_path: Path) -> None:
    times = tmp_path / "times.tsv"
    times.write_text("tests/a.py::one\t1.0\t0.5\t0.5\tmain\n")
    lines = summary(str(times)).splitlines()
    assert lines[0] == "1 tests: CPU 1.0 s (own 0.5 s, subprocesses 0.5 s)"
    assert lines[1].split() == ["cpu", "s", "own", "s", "subp", "s", "test"]
