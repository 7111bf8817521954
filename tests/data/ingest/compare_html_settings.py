"""Compare trafilatura's precision/recall settings on the labelled fixture pages.

Run from the repository root:  .venv/bin/python tests/data/ingest/compare_html_settings.py
Prints, per setting, how many story paragraphs and how many noise lines (labels.json) survive.
(Belongs in benchmarks/; kept here because ingest's owner may only write under tests/data/ingest.)
"""

from __future__ import annotations

import json
from pathlib import Path

import trafilatura

FOLDER = Path(__file__).resolve().parent
SETTINGS = {
    "default": {},
    "favor_precision": {"favor_precision": True},
    "favor_recall": {"favor_recall": True},
}


def main() -> None:
    labels = json.loads((FOLDER / "labels.json").read_text(encoding="utf-8"))
    for name, options in SETTINGS.items():
        kept_article = total_article = kept_noise = total_noise = 0
        for page, label in labels.items():
            if page.startswith("_"):
                continue
            document = trafilatura.bare_extraction(
                (FOLDER / page).read_text(encoding="utf-8"),
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                date_extraction_params={"extensive_search": False, "original_date": True},
                **options,
            )
            lines = [line.strip() for line in document.text.split("\n") if line.strip()]
            for prefix in label["article"]:
                total_article += 1
                kept_article += any(line.startswith(prefix) for line in lines)
            for prefix in label["noise"]:
                total_noise += 1
                kept_noise += any(line.startswith(prefix) for line in lines)
        print(
            f"{name:16s} story paragraphs kept {kept_article}/{total_article}"
            f"  noise lines kept {kept_noise}/{total_noise}"
        )


if __name__ == "__main__":
    main()
