"""Two documents the tools were not written against (tests/fixtures/authoring/: an invented
InnoMatch reply and an invented, undated news item about a part of the city), added to a
copy of the real catalogue as an analyst would: what add-source reads from them, which
indicators draft maps their figures to and why, and add-drafts writing them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from dashboard.catalogue import audit
from dashboard.catalogue.authoring.draft import Draft, draft_text, known_units
from dashboard.catalogue.validate import validate_path
from tests.cli_runner import run_dashboard

REPO = Path(__file__).resolve().parent.parent
TEXTS = Path(__file__).resolve().parent / "fixtures" / "authoring"
REPLY = TEXTS / "reply_innomatch_update.txt"
NEWS = TEXTS / "news_subarea_undated.txt"
CATALOGUE = validate_path(REPO / "indicators.yaml").catalogue
UNITS = known_units(REPO)
REPLY_SETS = [
    "--set",
    "title.en=Reply to Suggestion No. 0417 (fixture)",
    "--set",
    "addressee.en=NPC deputy Lu Jianming (fixture)",
]
NEWS_SETS = [
    "--id", "linjiang_sts_news",
    "--set", "title.en=Linjiang Science City's S&T services (fixture)",
    "--set", "short.zh=临江科学城新闻稿",
    "--set", "short.en=Linjiang news item",
    "--set", "issuer.zh=临江科学城新闻（示例）",
    "--set", "issuer.en=Linjiang news (fixture)",
    "--set", "published.status=inferred",
    "--set", "published.date=2025",
    "--set", "published.basis.zh=原文未写日期；其最新数据为2024年全年，推断发布于2025年。",
    "--set", "published.basis.en=Undated; its latest figures are for 2024, so taken to be of 2025.",
]  # fmt: skip


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_dashboard(*args, "--catalogue", "indicators.yaml", cwd=cwd)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the real catalogue and its data folder, the two texts in inbox/."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    shutil.copy(REPO / "indicators.yaml", tmp_path / "indicators.yaml")
    (tmp_path / "inbox").mkdir()
    for text in (REPLY, NEWS):
        shutil.copy(text, tmp_path / "inbox" / text.name)
    return tmp_path


def drafts_of(path: Path, as_of: str) -> dict[float, Draft]:
    assert CATALOGUE is not None
    text = path.read_text(encoding="utf-8")
    return {d.value: d for d in draft_text(text, CATALOGUE, "new_doc", as_of, units=UNITS)}


# -- the reply: metadata ----------------------------------------------------------------------
def test_the_reply_s_issuer_comes_from_its_reference_series_in_both_languages(
    project: Path,
) -> None:
    proc = run("add-source", "inbox/reply_innomatch_update.txt", "--dry-run", cwd=project)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    series = "the issuer of the catalogue's sources in the 沪科建复 series (`hukejianfu_2025_36`)"
    assert f"#   issuer.zh     from-catalogue: {series}" in out
    assert f"#   issuer.en     from-catalogue: {series}" in out
    entry = yaml.safe_load(out[out.index("  - id:") :])[0]
    assert entry["issuer"] == {
        "zh": "上海市科学技术委员会",
        "en": "Shanghai Municipal Science and Technology Commission",
    }
    assert entry["signed"] == {"status": "stated", "date": "2025-11-20", "quote": "2025年11月20日"}
    assert entry["published"]["quote"] == "发布日期：2025-12-02"
    assert "missing (not in the text, not in the catalogue): title.en, addressee.en" in out


# -- the reply: mapping onto existing indicators ---------------------------------------------
def test_the_reply_s_three_figures_map_onto_the_existing_indicators_with_their_reason() -> None:
    drafts = drafts_of(REPLY, "2025-11-20")
    assert {v: d.indicator for v, d in drafts.items()} == {
        2731: "innomatch_cumulative_demands",
        339: "innomatch_cumulative_matched_projects",
        9: "innomatch_cumulative_signed_value",
    }
    why = drafts[2731].why
    assert "same subject, measure and unit as `innomatch_cumulative_demands`" in why
    assert "its words: 征集、需求 (demands)" in why
    assert "a later as-of date (2025-10-31; its latest figure is of 2025-06-25)" in why
    assert (drafts[9].period, drafts[9].qualifier) == ("../2025-10", "more_than")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # Another subject named: the InnoMatch indicators are not this platform's.
        (
            "创新挑战赛平台持续征集需求。截至2025年10月底，平台累计征集企业技术需求2731项。",
            "no indicator of the subject named here has this measure and unit",
        ),
        # Intended, not signed: a word that makes another measure.
        (
            "InnoMatch全球技术供需对接平台截至2025年10月底累计意向签约金额超过9亿元。",
            "(“意向” in one and not the other)",
        ),
        # The same platform, a measure it does not have.
        (
            "InnoMatch全球技术供需对接平台截至2025年10月底累计培训技术经理人2731项。",
            "are not the figure's",
        ),
    ],
)
def test_a_new_indicator_only_when_none_fits_and_the_draft_says_why(text: str, reason: str) -> None:
    assert CATALOGUE is not None
    (draft,) = draft_text(text, CATALOGUE, "new_doc", "2025-11-20", units=UNITS)
    assert draft.indicator.startswith("new_new_doc_")
    assert reason in draft.why


def test_a_figure_in_a_scale_of_the_indicator_s_unit_maps_and_keeps_its_unit() -> None:
    assert CATALOGUE is not None
    text = "InnoMatch全球技术供需对接平台截至2025年10月底累计征集企业技术需求1.1万项。"
    (draft,) = draft_text(text, CATALOGUE, "new_doc", "2025-11-20", units=UNITS)
    assert (draft.indicator, draft.value, draft.unit, draft.measure) == (
        "innomatch_cumulative_demands",
        1.1,
        "万项",
        "cumulative",
    )
    assert "in 万项, a scale of its unit 项 (kept as stated, with unit: 万项)" in draft.why


# -- the news item: metadata ------------------------------------------------------------------
def test_the_news_item_s_headline_is_its_title_and_its_missing_date_needs_a_basis(
    project: Path,
) -> None:
    proc = run("add-source", "inbox/news_subarea_undated.txt", "--dry-run", cwd=project)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert (
        "#   title.zh      stated (“临江科学城科技服务业加快集聚发展”, line 1): "
        "the headline (the first line)"
    ) in out
    assert "#   kind          inferred: “记者” on line 2: a news report" in out
    missing = next(line for line in out.splitlines() if line.startswith("# missing"))
    for name in (
        "published.status",
        "published.date",
        "published.basis.zh",
        "published.basis.en",
    ):
        assert name in missing
    real_run = next(line for line in out.splitlines() if line.startswith("# the real run:"))
    assert "--set published.status=inferred --set published.date=YYYY-MM-DD" in real_run
    assert '--set published.basis.zh="…" --set published.basis.en="…"' in real_run


def test_the_news_item_is_added_once_its_date_is_inferred_with_a_basis(project: Path) -> None:
    proc = run("add-source", "inbox/news_subarea_undated.txt", *NEWS_SETS[:-4], cwd=project)
    assert proc.returncode == 1
    assert "published.basis.zh, published.basis.en" in proc.stderr
    proc = run("add-source", "inbox/news_subarea_undated.txt", *NEWS_SETS, cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = validate_path(project / "indicators.yaml")
    assert result.ok and result.catalogue is not None
    source = result.catalogue.sources_by_id["linjiang_sts_news"]
    assert source.published.status.value == "inferred" and source.as_of.isoformat() == "2025-12-31"


# -- the news item: shares, units, ratios, a part of the city --------------------------------
def test_the_news_item_s_figures_read_with_their_qualifiers_units_and_measures() -> None:
    drafts = drafts_of(NEWS, "2025")
    got = {
        v: (d.unit, d.qualifier, d.measure, d.period, d.compared_with, d.fraction)
        for v, d in drafts.items()
    }
    assert got == {
        2156: ("亿元", "exact", "annual_flow", "2024", None, None),
        12.4: ("%", "exact", "growth_rate", "2024", "2023", None),
        66.7: ("%", "exact", "share", "2024", None, "2/3"),
        1.26: ("万家", "exact", "stock", "2025", None, None),
        50: ("%", "more_than", "share", "2025", None, None),
        30: ("%", "nearly", "share", "2025", None, None),
        21: ("万人", "more_than", "stock", "2025", None, None),
        102.7: ("万元", "exact", "ratio", "2025", None, None),
        2: ("倍", "more_than", "ratio", "2025", None, None),
        1.08: ("万亿元", "exact", "annual_flow", "2024", None, None),
        386: ("亿元", "exact", "annual_flow", "2024", None, None),
        20: ("%", "exact", "growth_rate", "2024", "2023", None),
    }
    assert drafts[66.7].quote == "占全区服务业营业收入的三分之二"
    assert "“三分之二” read as 2/3, 66.7 % to one decimal" in drafts[66.7].why
    assert "a ratio (“人均”)" in drafts[102.7].why and "a ratio (“倍”)" in drafts[2].why


def test_a_part_of_the_city_is_kept_apart_from_the_whole_city_s_indicators() -> None:
    drafts = drafts_of(NEWS, "2025")
    assert all(d.indicator.startswith("new_new_doc_") for d in drafts.values())
    assert (
        "the sentence speaks of 临江科学城, a part of the city: `sts_industry_revenue_growth`"
        in drafts[12.4].why
    )
    assert CATALOGUE is not None
    city = "2024年，本市科技服务业规上企业营业收入同比增长12.4%。"
    (draft,) = draft_text(city, CATALOGUE, "new_doc", "2025", units=UNITS)
    assert draft.indicator == "sts_industry_revenue_growth"


# -- add-drafts -------------------------------------------------------------------------------
def test_the_reply_goes_from_file_to_a_valid_catalogue_in_four_commands(project: Path) -> None:
    steps = [
        ("add-source", "inbox/reply_innomatch_update.txt", *REPLY_SETS),
        ("draft", "hukejianfu_2025_71", "--out", "drafts.yaml"),
        ("add-drafts", "drafts.yaml"),
    ]
    for args in steps:
        proc = run(*args, cwd=project)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    check = run_dashboard("check", "indicators.yaml", cwd=project)
    assert check.returncode == 0, check.stdout
    # The new figures sit under the existing indicators, so check sees what they say against
    # the older documents: the fall, and 339 with another meaning than in 沪科建复〔2025〕36号.
    warnings = [line for line in check.stdout.splitlines() if line.startswith("warning:")]
    assert any("falls from more than 6600 项" in w and "to 2731 项" in w for w in warnings)
    assert any(w.endswith("[same-number-other-meaning]") and "339 项" in w for w in warnings)
    catalogue = validate_path(project / "indicators.yaml").catalogue
    assert catalogue is not None
    demands = catalogue.indicators_by_id["innomatch_cumulative_demands"].observations
    assert [(o.value, o.source) for o in demands][-1] == (2731, "hukejianfu_2025_71")


def test_add_drafts_refuses_a_new_indicator_without_its_names_and_writes_nothing(
    project: Path,
) -> None:
    assert (
        run("add-source", "inbox/news_subarea_undated.txt", *NEWS_SETS, cwd=project).returncode == 0
    )
    assert run("draft", "linjiang_sts_news", "--out", "drafts.yaml", cwd=project).returncode == 0
    before = (project / "indicators.yaml").read_bytes()
    proc = run("add-drafts", "drafts.yaml", cwd=project)
    assert proc.returncode == 1
    assert "needs its name in zh and en" in proc.stderr
    assert (project / "indicators.yaml").read_bytes() == before


def test_add_drafts_writes_the_news_item_once_named(project: Path) -> None:
    assert (
        run("add-source", "inbox/news_subarea_undated.txt", *NEWS_SETS, cwd=project).returncode == 0
    )
    assert run("draft", "linjiang_sts_news", "--out", "drafts.yaml", cwd=project).returncode == 0
    drafts = yaml.safe_load((project / "drafts.yaml").read_text(encoding="utf-8"))
    kept = []
    for n, draft in enumerate(drafts):
        if draft["value"] not in (66.7, 1.26, 2, 102.7):
            draft["keep"] = False
            continue
        draft["indicator"] = f"linjiang_fixture_{n}"
        draft.update(
            name={"zh": f"临江示例指标{n}", "en": f"Linjiang fixture figure {n}"},
            description={"zh": "测试用", "en": "For the tests"},
            subject={"zh": "临江科学城", "en": "Linjiang Science City"},
            topic="industry",
        )
        if draft["unit"] == "万家":
            draft["counts"] = {"one": "organisation", "other": "organisations"}
        kept.append(draft)
    (project / "drafts.yaml").write_text(yaml.safe_dump(drafts, allow_unicode=True), "utf-8")
    proc = run("add-drafts", "drafts.yaml", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    catalogue = validate_path(project / "indicators.yaml").catalogue
    assert catalogue is not None
    added = [i for i in catalogue.indicators if i.id.startswith("linjiang_fixture_")]
    assert {(i.measure.value, i.unit) for i in added} == {
        ("share", "%"),
        ("stock", "万家"),
        ("ratio", "倍"),
        ("ratio", "万元"),
    }
    share = next(i for i in added if i.unit == "%").observations[0]
    assert (share.value, share.fraction) == (66.7, "2/3")
    # Every write is logged (issue 19): who, and the figures add-drafts wrote.
    entries = audit.read(audit.audit_path(project / "indicators.yaml"))
    (entry,) = [e for e in entries if e["action"] == "add-drafts"]
    assert entry["login"] == "os-user" and entry["user"]
    assert sorted(f["indicator"] for f in entry["figures"]) == sorted(i.id for i in added)
