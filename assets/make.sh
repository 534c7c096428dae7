#!/usr/bin/env bash
# Makes the README's screenshots and casts with taskscope itself: records a
# few seconds of two demos headless, renders each recording to an
# asciicast (assets/*.cast), a text screenshot (assets/*.txt) and an SVG
# (assets/*.svg), and puts the semaphore screenshot at the top of README.md
# (between its screenshot markers). Rerun it after changing the UI:
#
#   bash assets/make.sh
#
# The demos are seeded; their timing is not, so figures differ a little
# from run to run.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_RECORDED=${SECONDS_RECORDED:-4}
SIZE=${SIZE:-120x36}
FPS=${FPS:-4}

cargo build --release --quiet --bin taskscope
bin="${CARGO_TARGET_DIR:-target}/release/taskscope"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Colours in every output, whatever this terminal asks for.
unset NO_COLOR

# name, then the demo's arguments.
record() {
    local name=$1
    shift
    "$bin" demo "$@" --headless --duration "${SECONDS_RECORDED}s" \
        --record "$work/$name.tsrec" --report "$work/$name.json"
    "$bin" render "$work/$name.tsrec" --size "$SIZE" --fps "$FPS" \
        --cast "assets/$name.cast" --txt "assets/$name.txt" --svg "assets/$name.svg"
}

record semaphore-broken semaphore
record leak-broken leak

# The README's screenshot: the text, trailing blanks trimmed, in a code block.
screenshot=$(sed -e 's/[[:space:]]*$//' assets/semaphore-broken.txt)
shot="$screenshot" awk '
    /<!-- screenshot:start/ { print; print "```text"; print ENVIRON["shot"]; print "```"; skip = 1; next }
    /<!-- screenshot:end/   { skip = 0 }
    !skip
' README.md >"$work/README.md"
if ! grep -q '<!-- screenshot:start' README.md; then
    echo "make.sh: README.md has no <!-- screenshot:start --> marker" >&2
    exit 1
fi
cp "$work/README.md" README.md

ls -l assets/*.cast assets/*.txt assets/*.svg
