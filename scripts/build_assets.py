"""Build Haven's static assets from the npm packages into haven/static/dist/.

GOV.UK Frontend's precompiled CSS is used as shipped, with two changes that the
Design System asks of services that are not on GOV.UK: the GDS Transport font is
not loaded (Arial is used instead), and asset URLs point at Django's static path.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
DIST = ROOT / "haven" / "static" / "dist"


def main() -> None:
    govuk = NODE / "govuk-frontend" / "dist" / "govuk"
    if not govuk.exists():
        raise SystemExit("node_modules is missing: run `npm ci` (make does this for you)")
    if DIST.exists():
        shutil.rmtree(DIST)
    (DIST / "govuk").mkdir(parents=True)

    css = (govuk / "govuk-frontend.min.css").read_text()
    css = re.sub(r"@font-face\{[^}]*\}", "", css)
    css = css.replace("font-family:GDS Transport,", "font-family:")
    css = css.replace("font-family:GDS Transport", "font-family:arial,sans-serif")
    css = css.replace("url(/assets/", "url(/static/dist/govuk/assets/")
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
    (DIST / "govuk" / "govuk-frontend.min.css").write_text(css)

    js = (govuk / "govuk-frontend.min.js").read_text()
    js = re.sub(r"//# sourceMappingURL=.*", "", js)
    (DIST / "govuk" / "govuk-frontend.min.js").write_text(js)
    shutil.copytree(govuk / "assets" / "images", DIST / "govuk" / "assets" / "images")

    (DIST / "htmx").mkdir()
    shutil.copy(NODE / "htmx.org" / "dist" / "htmx.min.js", DIST / "htmx" / "htmx.min.js")
    # Vega-Lite charts (KPI dashboards), rendered in the page from a spec beside its data table.
    (DIST / "vega").mkdir()
    for package, built in (("vega", "vega.min.js"), ("vega-lite", "vega-lite.min.js"),
                           ("vega-embed", "vega-embed.min.js")):
        js = (NODE / package / "build" / built).read_text()
        (DIST / "vega" / built).write_text(re.sub(r"//# sourceMappingURL=.*", "", js))
    print(f"assets built in {DIST.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
