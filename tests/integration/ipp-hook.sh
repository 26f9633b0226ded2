#!/bin/sh
# ipp-hook.sh FILE - the "printing" of the test printer (ippeveprinter -c): records each
# finished document's job name in $LL_RUN/printed.log and keeps a copy in $LL_RUN/printed/.
# Faults are switched on by files in $LL_RUN/faults/ (the tests create and remove them):
#   jam-once   the next job jams: media-jam is reported while it processes, then it aborts
#   cover-open cover-open is reported until the file is removed, then the job completes
#   slow       the job takes as many seconds as the file says before it completes
# Lines "STATE: +reason" / "STATE: -reason" on stderr set printer-state-reasons (ippeveprinter).
set -u
file=$1
run=${LL_RUN:?}
faults=$run/faults
# The fixture's "kill" (printer killed mid-job) ends this script too: a dead printer finishes
# no page.
echo $$ >"$run/hook.pid"
name=$(basename "$file")
name=${name#*-}          # <job-id>-<job-name>.<ext>
name=${name%.*}
if [ -e "$faults/jam-once" ]; then
    rm -f "$faults/jam-once"
    echo "STATE: +media-jam" >&2
    echo "ERROR: paper jam" >&2
    sleep "${LL_JAM_SECONDS:-2}"
    echo "STATE: -media-jam" >&2
    echo "jammed $name" >>"$run/hook.log"
    exit 1
fi
if [ -e "$faults/cover-open" ]; then
    echo "STATE: +cover-open" >&2
    while [ -e "$faults/cover-open" ]; do sleep 0.1; done
    echo "STATE: -cover-open" >&2
fi
if [ -e "$faults/slow" ]; then
    sleep "$(cat "$faults/slow")"
fi
mkdir -p "$run/printed"
cp "$file" "$run/printed/" || exit 1
echo "$name" >>"$run/printed.log"
exit 0
