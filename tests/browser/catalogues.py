"""Catalogues the browser tests serve: the hostile base, with hostile strings or live edits."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
BASE_DIR = REPO_ROOT / "tests" / "hostile" / "base"
SOURCE_REL = "data/sources/mini_reply.txt"

# Each marker is unique so a dialog or injected node says which string got through.
SCRIPT = "<script>alert('xss-script')</script>"
IMG = "<img src=x onerror=alert('xss-img')>"
SVG = "<svg onload=alert('xss-svg')></svg>"
IFRAME = "<iframe src=\"javascript:alert('xss-iframe')\"></iframe>"
JS_LINK = "[点我 click](javascript:alert('xss-mdlink'))"
JS_RAW = "javascript:alert('xss-raw')"
MARKDOWN = "**粗** # 标题 ![pic](http://127.0.0.1:9/x.png) <b>b</b> $\\alpha$ ~~del~~ | a | b |"
ENTITY = "&lt;script&gt;alert('xss-entity')&lt;/script&gt;"
LONG = "W" * 5000
# Spreadsheet formulas: a CSV cell starting with = + - @ runs as a formula in Excel/WPS.
FORMULA_LINK = '=HYPERLINK("http://127.0.0.1:9/x","点我")'
FORMULA_CMD = "=cmd|' /C calc'!A0"
FORMULA_PLUS = "+1+1 合计"
FORMULA_AT = "@SUM(1,1)"
HOSTILE_QUOTE = f"合同额 129.97 亿元 {SCRIPT} {IMG}"


def _text(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _write(dest: Path, data: dict[str, Any], source_text: str) -> Path:
    (dest / "data" / "sources").mkdir(parents=True, exist_ok=True)
    for name in ("units.yaml", "i18n.yaml"):
        shutil.copy(REPO_ROOT / "data" / name, dest / "data" / name)
    source = dest / SOURCE_REL
    source.write_text(source_text, encoding="utf-8")
    data["sources"][0]["sha256"] = hashlib.sha256(source.read_bytes()).hexdigest()
    target = dest / "indicators.yaml"
    target.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8"
    )
    return target


def base_data() -> tuple[dict[str, Any], str]:
    data = yaml.safe_load((BASE_DIR / "indicators.yaml").read_text(encoding="utf-8"))
    text = (BASE_DIR / SOURCE_REL).read_text(encoding="utf-8")
    return data, text


def write_base(dest: Path) -> Path:
    data, text = base_data()
    return _write(dest, data, text)


def _indicator(data: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(i for i in data["indicators"] if i["id"] == ident)


def write_hostile(dest: Path) -> Path:
    """The base with markup, script, links, Markdown tricks and a 5,000-character word in
    every kind of text a page, hover, legend or table shows, quotes included."""
    data, text = base_data()
    text = text.replace("合同额 129.97 亿元", HOSTILE_QUOTE, 1)
    text += f"\n附：{SVG} {IFRAME} {JS_RAW} {MARKDOWN} {ENTITY}\n{LONG}\n"
    source = data["sources"][0]
    source["title"] = _text(f"{SCRIPT}答复{IMG}", f"{IMG} reply {JS_LINK} {LONG}")
    source["short"] = _text(f"{SCRIPT}短", f"{IMG} short")
    source["notes"] = _text(f"{MARKDOWN} {ENTITY}", f"{JS_RAW} {SVG}")
    source["issuer"] = _text(IFRAME, JS_LINK)
    for indicator in data["indicators"]:
        indicator["headline"] = True
    value = _indicator(data, "research_units_tech_contracts_value")
    value["name"] = _text(f"{SCRIPT}合同额{IMG}", f"{IMG} contract value {JS_LINK}")
    value["description"] = _text(f"{MARKDOWN} {LONG}", f"{LONG} {ENTITY}")
    value["notes"] = _text(f"{JS_LINK} {SVG}", f"{MARKDOWN} {IFRAME}")
    obs = value["observations"][0]
    obs["quote"] = HOSTILE_QUOTE
    obs["ambiguity"] = _text(f"{SCRIPT} {LONG}", f"{IMG} {JS_LINK}")
    obs["notes"] = _text(MARKDOWN, JS_RAW)
    count = _indicator(data, "research_units_tech_contracts_count")
    count["name"] = _text(f"{SVG}登记数 {LONG}", f"{SCRIPT} count {LONG}")
    achievements = _indicator(data, "eastern_center_achievements")
    achievements["name"] = _text(FORMULA_LINK, FORMULA_CMD)
    achievements["observations"][0]["ambiguity"] = _text(FORMULA_PLUS, FORMULA_AT)
    event = data["events"][0]
    event["title"] = _text(f"{SCRIPT}开市{IMG}", f"{IMG} opens {JS_LINK} {LONG}")
    event["indicators"] = ["ste_bank_institutions", "research_units_tech_contracts_value"]
    return _write(dest, data, text)


CHANGED_VALUE = "131.31"


def write_changed_value(dest: Path) -> Path:
    """The base, valid, with the 2020 contract value changed in source, quote and value."""
    data, text = base_data()
    text = text.replace("129.97", CHANGED_VALUE, 1)
    obs = _indicator(data, "research_units_tech_contracts_value")["observations"][0]
    obs["value"] = float(CHANGED_VALUE)
    obs["quote"] = obs["quote"].replace("129.97", CHANGED_VALUE)
    return _write(dest, data, text)


def changed_value_bytes(tmp: Path) -> tuple[bytes, bytes]:
    """(catalogue bytes, source bytes) of the changed-value version, built in `tmp`."""
    target = write_changed_value(tmp)
    return target.read_bytes(), (tmp / SOURCE_REL).read_bytes()
