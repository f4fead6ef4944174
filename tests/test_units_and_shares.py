"""Units with their scale (data/units.yaml `base` and `factor`), the line to add for an
unknown unit, adding one atomically, figures stated in a scale of their indicator's unit,
shares in words (三分之二, 过半, 两成) read and checked against their quote, and ratios (倍)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from dashboard.catalogue.authoring import units_file
from dashboard.catalogue.authoring.draft import draft_text, known_units
from dashboard.catalogue.authoring.safe_write import WriteRefused
from dashboard.catalogue.numbers import find_mentions
from dashboard.catalogue.scales import convert, same_base, suggested_line, unit_problems
from dashboard.catalogue.validate import validate_path
from dashboard.figures.change import change_between
from dashboard.figures.formatting import format_value
from dashboard.figures.grammar import Words, fit_years, plan_view
from dashboard.figures.i18n import Translator

REPO = Path(__file__).resolve().parent.parent
UNITS = yaml.safe_load((REPO / "data" / "units.yaml").read_text(encoding="utf-8"))
LABELS = yaml.safe_load((REPO / "data" / "i18n.yaml").read_text(encoding="utf-8"))


# -- reading shares in words ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "said", "value", "qualifier", "fraction"),
    [
        ("占全市的三分之二", "三分之二", 200 / 3, None, (2, 3)),
        ("约占四分之一", "四分之一", 25.0, "about", (1, 4)),
        ("研发机构过半", "过半", 50.0, "more_than", (1, 2)),
        ("过半数企业", "过半数", 50.0, "more_than", (1, 2)),
        ("超过一半的企业", "一半", 50.0, "more_than", (1, 2)),
        ("半数以上", "半数", 50.0, "more_than", (1, 2)),
        ("外资机构近三成", "三成", 30.0, "nearly", None),
        ("增长两成", "两成", 20.0, None, None),
    ],
)
def test_shares_in_words_are_read_with_their_qualifier(
    text: str, said: str, value: float, qualifier: str | None, fraction: tuple[int, int] | None
) -> None:
    (mention,) = find_mentions(text)
    assert mention.text == said and mention.is_percent
    assert abs(mention.values[-1] - value) < 1e-9
    assert (mention.qualifier, mention.fraction) == (qualifier, fraction)


@pytest.mark.parametrize("text", ["上半年", "半年以来", "半导体企业", "大半径"])
def test_half_in_other_words_is_no_share(text: str) -> None:
    assert find_mentions(text) == []


def _catalogue_with(tmp_path: Path, observation: dict, indicator: dict | None = None) -> Path:
    """The real catalogue with one observation added to a new share indicator of 沪科建复
    〔2025〕36号, whose text gets the sentence the quote needs."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    data = yaml.safe_load((REPO / "indicators.yaml").read_text(encoding="utf-8"))
    source = next(s for s in data["sources"] if s["id"] == "hukejianfu_2025_36")
    text_path = tmp_path / source["file"]
    text = (
        text_path.read_text(encoding="utf-8")
        + "\n测试句：研发设计机构占三分之二，服务机构1.3万家。\n"
    )
    text_path.write_text(text, encoding="utf-8")
    import hashlib

    source["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    ind = {
        "id": "test_share",
        "name": {"zh": "测试占比", "en": "Test share"},
        "description": {"zh": "测试", "en": "Test"},
        "topic": "industry",
        "subject": {"zh": "测试", "en": "Test"},
        "measure": "share",
        "unit": "%",
        "observations": [
            {"period": "2025-06-25", "qualifier": "exact", "source": "hukejianfu_2025_36"}
            | observation
        ],
    } | (indicator or {})
    data["indicators"].append(ind)
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    return [f"{p.type}: {p.message} {p.hint or ''}" for p in validate_path(path).errors]


def test_a_share_stated_as_a_fraction_is_recorded_with_it_and_checked(tmp_path: Path) -> None:
    ok = {"value": 66.7, "fraction": "2/3", "quote": "研发设计机构占三分之二"}
    assert _problems(_catalogue_with(tmp_path / "a", ok)) == []
    # Without the fraction, the check says how to record it (it said "does not state 66.7").
    (problem,) = _problems(_catalogue_with(tmp_path / "b", ok | {"fraction": None}))
    assert problem.startswith("value-not-in-quote: the quote does not state 66.7")
    assert 'write `fraction: "2/3"`' in problem
    # A value that is not the fraction to its places, or another fraction, is refused.
    for wrong in ({"value": 66.6}, {"fraction": "1/3"}, {"value": 67}):
        (problem,) = _problems(_catalogue_with(tmp_path / str(wrong), ok | wrong))
        assert problem.startswith("value-not-in-quote")


def test_a_fraction_belongs_to_a_share_in_percent(tmp_path: Path) -> None:
    obs = {"value": 66.7, "fraction": "2/3", "quote": "研发设计机构占三分之二"}
    path = _catalogue_with(
        tmp_path, obs, {"measure": "stock", "unit": "家", "counts": {"one": "x", "other": "xs"}}
    )
    assert any(p.startswith("fraction-unit:") for p in _problems(path))


# -- units with a scale -----------------------------------------------------------------------
def test_scaled_units_convert_exactly_to_their_base() -> None:
    assert unit_problems(UNITS) == []
    assert convert(1.33, "万家", "家", UNITS) == Decimal("13300")
    assert convert(1.08, "万亿元", "亿元", UNITS) == Decimal("10800")
    assert convert(5409.59, "亿元", "万亿元", UNITS) == Decimal("0.540959")
    assert same_base("万人次", "人次", UNITS) and not same_base("万家", "项", UNITS)
    with pytest.raises(ValueError):
        convert(1, "家", "项", UNITS)


def test_an_unknown_unit_gets_the_exact_line_to_add() -> None:
    units = {k: v for k, v in UNITS.items() if k != "万家"}
    assert suggested_line("万家", units) == (
        "万家: {en: '10,000 organisations', base: 家, factor: 10000, "
        "display_en: {scale: 10, magnitude: thousand, suffix: thousand organisations}, "
        "count: true}"
    )
    assert yaml.safe_load(suggested_line("万家", units))["万家"] == UNITS["万家"]
    assert suggested_line("株", UNITS) == "株: {en: …, display_en: {scale: 1, suffix: …}}"


def test_draft_says_which_line_to_add_for_an_unknown_unit(tmp_path: Path) -> None:
    shutil.copytree(REPO / "data", tmp_path / "data")
    units_path = tmp_path / "data" / "units.yaml"
    kept = [
        line for line in units_path.read_text("utf-8").splitlines() if not line.startswith("万家")
    ]
    units_path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    catalogue = validate_path(REPO / "indicators.yaml").catalogue
    assert catalogue is not None
    (draft,) = draft_text(
        "目前集聚科技服务机构1.26万家。", catalogue, "x", "2025", units=known_units(tmp_path)
    )
    assert (
        "unit 万家 is not in data/units.yaml: add the line 万家: {en: '10,000 organisations'"
        in (draft.why)
    )


def test_add_unit_appends_one_line_atomically_and_refuses_rather_than_guesses(
    tmp_path: Path,
) -> None:
    shutil.copytree(REPO / "data", tmp_path / "data")
    path = tmp_path / "data" / "units.yaml"
    before = path.read_text(encoding="utf-8")
    entry = units_file.proposed_entry(tmp_path, "万件")
    line = units_file.add_unit(tmp_path, "万件", entry)
    assert path.read_text(encoding="utf-8") == before + line + "\n"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["万件"]["base"] == "件"
    after = path.read_bytes()
    for unit, bad, message in [
        ("万件", entry, "already lists it"),
        ("株", {"en": "…", "display_en": {"scale": 1, "suffix": "…"}}, "English name"),
        ("万株", {"en": "10,000 plants", "base": "株", "factor": 10000}, "is not a unit"),
        ("a: b", {"en": "x"}, "one word"),
    ]:
        with pytest.raises(WriteRefused, match=message):
            units_file.add_unit(tmp_path, unit, bad)
        assert path.read_bytes() == after


def test_a_figure_in_a_scale_of_its_indicator_s_unit_is_checked(tmp_path: Path) -> None:
    obs = {"value": 1.3, "unit": "万家", "quote": "服务机构1.3万家"}
    stock = {"measure": "stock", "unit": "家", "counts": {"one": "agency", "other": "agencies"}}
    assert _problems(_catalogue_with(tmp_path / "a", obs, stock)) == []
    wrong = _catalogue_with(tmp_path / "b", obs | {"unit": "项"}, stock)
    assert any(p.startswith("observation-unit: unit `项` is not a scale") for p in _problems(wrong))
    unknown = _catalogue_with(tmp_path / "c", obs | {"unit": "万株"}, stock)
    assert any(p.startswith("unknown-unit: unit `万株`") for p in _problems(unknown))


def test_charts_and_changes_convert_a_scaled_figure_and_label_it_as_stated() -> None:
    from dashboard.catalogue.models import Catalogue

    t = {"zh": "测", "en": "t"}
    src = {
        "file": "x.txt", "sha256": "0" * 64, "title": t, "short": t, "issuer": t,
        "reference": None, "kind": "news_report", "published": {"status": "unstated"},
    }  # fmt: skip
    stated = {"qualifier": "exact", "quote": "q"}
    cat = Catalogue.model_validate(
        {
            "version": 1,
            "sources": [
                src | {"id": "a", "signed": {"status": "stated", "date": "2023", "quote": "q"}},
                src | {"id": "b", "signed": {"status": "stated", "date": "2025", "quote": "q"}},
            ],
            "indicators": [
                {
                    "id": "orgs", "name": t, "description": t, "topic": "industry", "subject": t,
                    "measure": "stock", "unit": "家",
                    "counts": {"one": "organisation", "other": "organisations"},
                    "observations": [
                        {"period": "2023", "value": 9800, "source": "a"} | stated,
                        {"period": "2025", "value": 1.33, "unit": "万家", "source": "b"} | stated,
                    ],
                }
            ],
        }
    )  # fmt: skip
    plan = plan_view(
        cat, ["orgs"], Words(Translator(LABELS, "zh"), UNITS), fit_years(cat, ["orgs"])
    )
    assert [m.y for m in plan.marks] == [9800, 13300]
    assert [m.text for m in plan.marks] == ["9800", "1.33 万家"]
    en = plan_view(cat, ["orgs"], Words(Translator(LABELS, "en"), UNITS), fit_years(cat, ["orgs"]))
    # English keeps the source's digits in one scale per chart (docs/charts.md): 1.33万家 is
    # 13.3 thousand, never a padded 13,300.
    assert en.marks[1].text == "13.3 thousand organisations"
    first, last = cat.indicators[0].observations
    change = change_between(cat, cat.indicators[0], first, last, Translator(LABELS, "en"), UNITS)
    assert "+3,500" in change.text


def test_a_ratio_reads_as_times() -> None:
    prefixes = {"more_than": "> "}
    assert format_value(2, "倍", "more_than", "en", UNITS, prefixes) == "> 2×"
    assert format_value(2, "倍", "exact", "zh", UNITS, {}) == "2 倍"


def test_a_share_stated_as_a_fraction_shows_the_fraction() -> None:
    from dashboard.catalogue.models import Catalogue
    from dashboard.figures.grammar import value_text

    t = {"zh": "测", "en": "t"}
    cat = Catalogue.model_validate(
        {
            "version": 1,
            "sources": [
                {
                    "id": "a", "file": "x.txt", "sha256": "0" * 64, "title": t, "short": t,
                    "issuer": t, "reference": None, "kind": "news_report",
                    "signed": {"status": "stated", "date": "2025", "quote": "q"},
                    "published": {"status": "unstated"},
                }
            ],
            "indicators": [
                {
                    "id": "share", "name": t, "description": t, "topic": "industry",
                    "subject": t, "measure": "share", "unit": "%",
                    "observations": [
                        {"period": "2024", "value": 66.7, "fraction": "2/3", "qualifier": "exact",
                         "source": "a", "quote": "三分之二"},
                    ],
                }
            ],
        }
    )  # fmt: skip
    ind = cat.indicators[0]
    for lang in ("zh", "en"):
        text = value_text(ind, ind.observations[0], Words(Translator(LABELS, lang), UNITS))
        assert text == "2/3 (66.7%)"


def test_a_running_total_stated_in_a_scale_of_its_unit_is_compared_in_it(tmp_path: Path) -> None:
    """1.1 万项 after 6600 项 is a rise, not a fall: the contradiction rules convert too."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    data = yaml.safe_load((REPO / "indicators.yaml").read_text(encoding="utf-8"))
    source = next(s for s in data["sources"] if s["id"] == "hukejianfu_2025_36")
    ind = next(i for i in data["indicators"] if i["id"] == "innomatch_cumulative_demands")
    text_path = tmp_path / source["file"]
    text = text_path.read_text(encoding="utf-8") + "\n截至目前，平台累计征集企业需求1.1万项。\n"
    text_path.write_text(text, encoding="utf-8")
    import hashlib

    source["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    obs = {"period": "../2025-06-25", "value": 1.1, "qualifier": "exact", "unit": "万项"}
    ind["observations"].append(
        obs | {"source": "hukejianfu_2025_36", "quote": "累计征集企业需求1.1万项"}
    )
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = validate_path(path)
    assert result.ok, [str(p) for p in result.errors]
    assert not [w for w in result.warnings if w.type == "cumulative-falls" and "1.1" in w.message]
