#!/bin/sh
# tools/po-update.sh - refresh the UI's message template from the sources and merge it into the
# German and Dutch catalogs (new texts arrive untranslated, marked fuzzy-free and empty).
set -eu
cd "$(dirname "$0")/.."
xgettext --from-code=UTF-8 --keyword=ui_text:2 --keyword=N_ --package-name=likeletter \
    --no-location -o assets/po/likeletter.pot kiosk/ui/*.c
for po in assets/po/*.po; do
    msgmerge --quiet --update --no-fuzzy-matching --backup=none "$po" assets/po/likeletter.pot
done
