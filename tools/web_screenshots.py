"""Take the screenshots of docs/web.md: each view of the web app over the demo store.

    python tools/web_screenshots.py [--db STORE] [--out docs/img]

Builds the demo store in a temporary folder (unless ``--db``), starts ``policyshift serve`` on
127.0.0.1, opens each view in chromium (the one on PATH, as the browser tests do) at 1280x800 and
saves docs/img/web-<view>.png, reduced to a 128-colour palette to keep the files small. Paths
inside the checkout are shown relative to it, so no machine's folders end up in the docs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from policyshift.web.launch import serving

ROOT = Path(__file__).resolve().parent.parent
VIEWS = {
    "overview": "/",
    "dyad": "/dyad?source=PAK&target=AFG&by=month&measure=conflict&from=1996-01-01&to=2005-12-31",
    "event": "/event/pk:017",
    "triad": "/triad?broker=USA&a=PAK&b=AFG&by=quarter&from=1996-01-01&to=2005-12-31&at=2001-09-11",
    "saydo": "/saydo?source=PAK&target=USA&by=year",
    "shift": "/shift?at=2001-09-11&focal=PAK&window=12&top=20&min_events=1",
    "case": "/case?spec=builtin:pakistan_2001",
}
# Walks the page's text and cuts the checkout's folder from every path (origin_file and the like).
RELATIVE = """root => {
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (n.nodeValue.includes(root)) { n.nodeValue = n.nodeValue.split(root).join(""); }
  }
}"""


def shoot(url: str, out: Path) -> list[Path]:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("no chromium on PATH: apt-get install chromium")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        for name, path in VIEWS.items():
            page.goto(f"{url}{path}")
            page.evaluate(RELATIVE, f"{ROOT}{os.sep}")
            target = out / f"web-{name}.png"
            page.screenshot(path=str(target))
            Image.open(target).convert("RGB").quantize(colors=128).save(target, optimize=True)
            written.append(target)
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="a store to show (default: a fresh demo store)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder for the PNGs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.db is None:
            from policyshift.demo import run_demo

            db = run_demo(out=Path(tmp) / "demo").store
        else:
            db = args.db
        with serving(db, cwd=ROOT) as url:
            for path in shoot(url, args.out):
                print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
