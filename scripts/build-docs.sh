#!/usr/bin/env bash
# Builds the DocC documentation site of MixupKit with the toolchain's `docc` (no package dependency) and FAILS on any
# documentation warning (a broken symbol or article link, a bad parameter name in a doc comment, …).
#
#   scripts/build-docs.sh            # site in .build-docs/site
#   python3 -m http.server --directory .build-docs/site 8000
#   open http://localhost:8000/documentation/mixupkit
#
# Steps: build the modules with symbol graphs (a separate scratch folder, so the test build keeps its cache), convert
# each module that has a catalogue (Sources/<Module>/<Module>.docc) into an archive with warnings as errors, then merge
# the archives into one site.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${DOCS_OUT:-.build-docs}
DOCC=${DOCC:-$(command -v docc || true)}
if [[ -z "$DOCC" ]]; then
    DOCC="$(dirname "$(readlink -f "$(command -v swift)")")/docc"
fi
[[ -x "$DOCC" ]] || { echo "error: docc not found next to swift; set DOCC=/path/to/docc" >&2; exit 1; }

modules=()
for catalog in Sources/*/*.docc; do
    module=$(basename "$catalog" .docc)
    [[ "$(basename "$(dirname "$catalog")")" == "$module" ]] || {
        echo "error: $catalog must be named after its folder's module" >&2
        exit 1
    }
    modules+=("$module")
done
echo "documenting: ${modules[*]}"

# Kept between builds: an incremental build only re-emits the graphs of modules it recompiles.
graphs="$OUT/symbol-graphs"
rm -rf "$OUT/archives" "$OUT/site"
mkdir -p "$graphs" "$OUT/archives"
for module in "${modules[@]}"; do
    # A module whose graph is missing is recompiled (its sources touched) so that the compiler emits it.
    [[ -f "$graphs/$module.symbols.json" ]] || touch "Sources/$module"/*.swift
    swift build --scratch-path "$OUT/build" --target "$module" \
        -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$graphs" \
        -Xswiftc -symbol-graph-minimum-access-level -Xswiftc public
done

status=0
archives=()
for module in "${modules[@]}"; do
    # Only this module's graphs: its own and its extensions of other modules' types (Module@Other.symbols.json).
    own="$OUT/module-graphs/$module"
    rm -rf "$own" && mkdir -p "$own"
    cp "$graphs/$module.symbols.json" "$own/"
    compgen -G "$graphs/$module@*.symbols.json" >/dev/null && cp "$graphs/$module"@*.symbols.json "$own/"
    archive="$OUT/archives/$module.doccarchive"
    if ! "$DOCC" convert "Sources/$module/$module.docc" --additional-symbol-graph-dir "$own" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.mixupkit.$module" \
        --output-path "$archive" --warnings-as-errors 2>&1 | tee "$OUT/$module.log"; then
        status=1
    fi
    # docc can exit 0 with problems printed; treat any warning or error line as a failure.
    if grep -Eq "^(warning|error):|: (warning|error):" "$OUT/$module.log"; then
        echo "error: documentation problems in $module (see above)" >&2
        status=1
    fi
    archives+=("$archive")
done
[[ $status == 0 ]] || exit 1

"$DOCC" merge "${archives[@]}" --output-path "$OUT/site" --synthesized-landing-page-name MixupKit
echo "documentation site: $OUT/site (serve it: python3 -m http.server --directory $OUT/site 8000, then open"
echo "http://localhost:8000/documentation/mixupkit)"
