"""The matcher on a generated variant set, the vetoes, and `manage.py person_match`."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from incidents.crises.matching import Identity, Reason, Verdict, match, passport_is_valid
from incidents.crises.romanization import jamo, romanize, skeleton
from incidents.crises.variants import labelled_pairs

DOB = date(1985, 3, 2)


def test_romanize_passport_style_without_sound_changes() -> None:
    assert romanize("김민수") == "gimminsu"
    assert romanize("박석") == "bakseok"
    assert romanize("신라") == "sinra"  # no assimilation to "silla": syllable by syllable
    assert skeleton("Young") == skeleton("yeong")
    assert jamo("민") == ("i6", "m20", "f4")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("김민수", "KIM MINSU"),
        ("김민수", "Minsu Kim"),
        ("김민수", "Min-soo Kim"),
        ("이영희", "LEE YOUNGHEE"),
        ("이영희", "Yi Yeong Hui"),
        ("박서준", "Pak Seo-jun"),
        ("최지우", "Choe Ji-u"),
        ("정우성", "Chung Woosung"),
        ("윤서연", "Yoon Seoyeon"),
        ("류현진", "Ryu Hyun-jin"),
        ("리영호", "이영호"),
        ("남궁민", "Namgung Min"),
    ],
)
def test_match_variant_spellings_are_same(a: str, b: str) -> None:
    assert match(Identity(a, DOB), Identity(b, DOB)).verdict is Verdict.SAME


def test_match_one_letter_typo_is_proposed_for_review() -> None:
    result = match(Identity("김민수", DOB), Identity("Kim Minsy", DOB))
    assert result.verdict is Verdict.REVIEW
    assert Reason.NAME_TYPO in result.reasons


def test_match_swapped_or_mistyped_birth_date_is_review() -> None:
    swapped = match(Identity("김민수", DOB), Identity("김민수", date(1985, 2, 3)))
    typo = match(Identity("김민수", DOB), Identity("김민수", date(1985, 3, 8)))
    assert swapped.verdict is Verdict.REVIEW and Reason.DOB_SWAPPED in swapped.reasons
    assert typo.verdict is Verdict.REVIEW and Reason.DOB_TYPO in typo.reasons


def test_match_different_birth_date_vetoes() -> None:
    result = match(Identity("김민수", DOB, "M12345678"), Identity("김민수", date(1990, 7, 1), "M12345678"))
    assert result.verdict is not Verdict.SAME
    assert Reason.DOB_DIFFERENT in result.reasons


def test_match_different_passport_vetoes() -> None:
    result = match(Identity("김민수", DOB, "M12345678"), Identity("KIM MINSU", DOB, "M87654321"))
    assert result.verdict is Verdict.REVIEW
    assert Reason.PASSPORT_DIFFERENT in result.reasons


def test_match_equal_passport_is_decisive() -> None:
    result = match(Identity("김민수", DOB, "M12345678"), Identity("Kim Minsy", None, "m1234-5678"))
    assert result.verdict is Verdict.SAME
    assert Reason.PASSPORT_EQUAL in result.reasons


def test_match_name_alone_never_decides() -> None:
    assert match(Identity("김민수"), Identity("KIM MINSU")).verdict is Verdict.REVIEW


def test_match_different_people_are_different() -> None:
    assert match(Identity("김민수", DOB), Identity("박지영", DOB)).verdict is Verdict.DIFFERENT


def test_passport_is_valid_forms() -> None:
    assert passport_is_valid("M12345678")
    assert passport_is_valid("M123A4567")
    assert not passport_is_valid("12345")
    assert not passport_is_valid("KOR-PASS")


def test_match_generated_variant_set_precision_recall() -> None:
    pairs = labelled_pairs(count=6000)
    counts: Counter[tuple[bool, Verdict]] = Counter()
    for pair in pairs:
        counts[(pair.same, match(pair.a, pair.b).verdict)] += 1
    true_total = sum(v for (same, _), v in counts.items() if same)
    auto_same = counts[(True, Verdict.SAME)]
    proposed = auto_same + counts[(True, Verdict.REVIEW)]
    false_same = counts[(False, Verdict.SAME)]
    precision_same = auto_same / (auto_same + false_same)
    print(
        f"\nmatcher on {len(pairs)} pairs: precision(same)={precision_same:.4f} "
        f"recall(proposed)={proposed / true_total:.4f} recall(same)={auto_same / true_total:.4f} "
        f"false same={false_same} false review={counts[(False, Verdict.REVIEW)]}"
    )
    assert false_same == 0
    assert proposed / true_total >= 0.95
    assert auto_same / true_total >= 0.70


def test_person_match_command_prints_one_json_line_per_pair(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "pair_id,a_name,a_dob,a_passport,b_name,b_dob,b_passport\n"
        "1,김민수,1985-03-02,,KIM MINSU,1985-03-02,\n"
        "2,김민수,1985-03-02,M12345678,김민수,1985-03-02,M87654321\n"
        "3,김민수,,,박지영,,\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("person_match", "--file", str(pairs), "--json", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["verdict"] for r in rows] == ["same", "review", "different"]
    assert set(rows[0]) == {"pair_id", "score", "verdict", "reasons"}
    assert "passport_different" in rows[1]["reasons"]


def test_person_match_command_rejects_bad_date(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "pair_id,a_name,a_dob,a_passport,b_name,b_dob,b_passport\n1,김민수,1985-13-45,,KIM MINSU,,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="a_dob"):
        call_command("person_match", "--file", str(pairs))
