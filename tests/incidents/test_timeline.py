"""incidents/timeline.py is the one writer of TimelineEvent rows."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("incidents", "maps", "missions", "safety")
WRITER = ROOT / "incidents" / "timeline.py"
CREATING_METHODS = {"create", "bulk_create", "get_or_create", "update_or_create"}


def _timeline_writes(path: Path) -> list[int]:
    """Lines of `TimelineEvent(...)`, `TimelineEvent.objects.<create...>(...)` in one module."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "TimelineEvent":
            lines.append(node.lineno)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in CREATING_METHODS
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "objects"
            and isinstance(func.value.value, ast.Name)
            and func.value.value.id == "TimelineEvent"
        ):
            lines.append(node.lineno)
    return lines


def test_timeline_append_is_the_only_writer() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != WRITER and "migrations" not in path.parts
        for line in _timeline_writes(path)
    ]
    assert offenders == []


def test_timeline_writes_scan_finds_a_raw_create(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("TimelineEvent.objects.create(incident_id=1)\nTimelineEvent(kind='x').save()\n")
    assert _timeline_writes(module) == [1, 2]
    assert _timeline_writes(WRITER) != []
