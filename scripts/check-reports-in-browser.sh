#!/usr/bin/env bash
# Renders the reports of a small run and a small sweep in headless Chromium and fails if a page logs a console error or
# a figure is missing or empty. Screenshots (PNG) and the rendered DOM are kept in artifacts/browser-check/
# (gitignored) to be looked at.
#
#   scripts/check-reports-in-browser.sh
#
# Needs Chromium (Debian's `chromium` package; installed with apt-get when missing) and python3. Uses the debug build
# of `mixup` (the one `swift test` builds), with tiny epochs.
set -euo pipefail
cd "$(dirname "$0")/.."

ART=${ARTIFACTS:-artifacts/browser-check}
rm -rf "$ART" && mkdir -p "$ART"

CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [[ -z "$CHROMIUM" ]]; then
    echo "installing Debian's chromium package" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    CHROMIUM=$(command -v chromium)
fi

swift build --product mixup
MIXUP="$(swift build --show-bin-path)/mixup"

# A small run: the spirals comparison (ERM vs Manifold Mixup) with three epochs.
"$MIXUP" run spirals --epochs 3 --out "$ART/run" --quiet > "$ART/run.log"

# A small sweep: two strategies × two seeds of spirals with two epochs. With `mixup sweep` (its cells are
# <configuration>/seed<S> run folders and it writes sweep-report.html itself); otherwise one `mixup run` per cell and
# `mixup report` on the folder.
if "$MIXUP" --help | grep -q "mixup sweep"; then
    "$MIXUP" sweep spirals --strategy erm,manifold --seeds 0-1 --epochs 2 --jobs 1 --out "$ART/sweep" \
        > "$ART/sweep.log" 2>&1
else
    echo "note: no \`mixup sweep\` in this build; running the cells with \`mixup run\`" >&2
    for strategy in erm manifold; do
        for seed in 0 1; do
            "$MIXUP" run spirals --strategy "$strategy" --seed "$seed" --epochs 2 \
                --out "$ART/sweep/$strategy/seed$seed" --quiet > "$ART/sweep-$strategy-$seed.log"
        done
    done
    "$MIXUP" report "$ART/sweep" > "$ART/sweep-report.log"
fi
CELL_REPORT=$(find "$ART/sweep" -mindepth 2 -name report.html | sort | head -1)
[[ -n "$CELL_REPORT" ]] || { echo "FAIL: no cell report.html under $ART/sweep" >&2; exit 1; }

failed=0
check() {  # check NAME HTML FIGURE-ID...
    local name=$1 html=$2
    shift 2
    local url="file://$(readlink -f "$html")"
    local flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --disable-extensions --no-first-run
        --user-data-dir="$ART/profile-$name" --enable-logging=stderr --v=0)
    "$CHROMIUM" "${flags[@]}" --window-size=1280,3600 --screenshot="$ART/$name.png" "$url" 2> "$ART/$name-screenshot.log" >/dev/null
    "$CHROMIUM" "${flags[@]}" --dump-dom "$url" > "$ART/$name-dom.html" 2> "$ART/$name-console.log"
    if ! python3 - "$ART/$name-dom.html" "$ART/$name-console.log" "$ART/$name-screenshot.log" "$ART/$name.png" "$@" <<'PY'
import re, struct, sys
from html.parser import HTMLParser

dom_path, console_path, shot_log, png_path, *expected = sys.argv[1:]
problems = []

# Console errors: Chromium logs page console messages as "CONSOLE(...)" / ":INFO:CONSOLE" lines on stderr.
for path in (console_path, shot_log):
    for line in open(path, errors="replace"):
        if "CONSOLE" in line or "Uncaught" in line:
            problems.append(f"console message in {path}: {line.strip()}")

class Figures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures, self.current, self.depth, self.scripts = {}, None, 0, 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" or (tag in ("link", "img") and (a.get("href") or a.get("src") or "").startswith("http")):
            self.scripts += 1
        if tag == "figure":
            self.current = a.get("data-figure")
            self.figures[self.current] = {"svg": 0, "marks": 0, "size": []}
        elif self.current is not None:
            f = self.figures[self.current]
            if tag == "svg":
                f["svg"] += 1
                f["size"].append((float(a.get("width", 0) or 0), float(a.get("height", 0) or 0)))
            elif tag in ("path", "rect", "circle", "polygon", "line", "polyline"):
                f["marks"] += 1
    def handle_endtag(self, tag):
        if tag == "figure":
            self.current = None

parser = Figures()
parser.feed(open(dom_path, errors="replace").read())
if parser.scripts:
    problems.append(f"{parser.scripts} script or remote resource element(s) in the page")
for name in expected:
    f = parser.figures.get(name)
    if f is None:
        problems.append(f"figure {name} is missing")
    elif f["svg"] == 0 or f["marks"] < 3 or any(w <= 0 or h <= 0 for w, h in f["size"]):
        problems.append(f"figure {name} is empty: {f}")
print(f"{dom_path}: {len(parser.figures)} figures: " + ", ".join(f"{k} ({v['marks']} marks)" for k, v in parser.figures.items()))

with open(png_path, "rb") as png:
    header = png.read(24)
if header[:8] != b"\x89PNG\r\n\x1a\n":
    problems.append(f"{png_path} is not a PNG")
else:
    width, height = struct.unpack(">II", header[16:24])
    print(f"{png_path}: {width}×{height}")
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
PY
    then
        failed=1
    fi
}

check run "$ART/run/report.html" train-loss train-error test-error test-nll decision-boundaries
check run-cell "$CELL_REPORT" train-loss train-error test-error test-nll decision-boundaries
check sweep "$ART/sweep/sweep-report.html" test-error-bars test-nll-bars test-error-curves train-loss-curves

if [[ $failed != 0 ]]; then
    echo "browser check FAILED; see $ART" >&2
    exit 1
fi
echo "browser check passed; screenshots: $ART/run.png $ART/run-cell.png $ART/sweep.png"
