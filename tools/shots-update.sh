#!/bin/sh
# tools/shots-update.sh [BUILD_DIR] - after a deliberate change to how the kiosk looks, store the
# window tests' screenshots as their references (tests/integration/reference/<case>-<name>.png).
# BUILD_DIR defaults to build/ci. A reference that still matches (no pixel differing outside the
# regions the test leaves out) is left as it is, so only the screens that changed show up in git;
# look at each before committing it.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build/ci}
if [ ! -f "$build/CTestTestfile.cmake" ]; then
    echo "shots-update: $build is not a configured build directory" >&2
    exit 1
fi
# The references must show the code as it is now, not an older binary.
cmake --build "$build" -j2
# Each case still checks everything else: a case that fails here stored only the shots before
# its failure. The soak takes no screenshots, only minutes.
LIKELETTER_SHOTS_UPDATE=1 ctest --test-dir "$build" -R '^integration\.kiosk\.' \
    -E '^integration\.kiosk\.soak$' --output-on-failure -j2
git status --short -- tests/integration/reference
