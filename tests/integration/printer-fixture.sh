#!/bin/sh
# printer-fixture.sh start|stop|kill|restart RUN PORT
# A real IPP Everywhere printer on loopback for the tests (RECIPES.md §2): a private D-Bus system
# bus (Debian's ippeveprinter will not start without one) and ippeveprinter with ipp-hook.sh as
# its print command, everything under RUN, background servers' output in files, PIDs recorded so
# stop kills exactly what start started.
#   start    starts both and waits until the printer answers
#   kill     SIGKILLs the printer (and a running hook): "printer killed mid-job"
#   restart  starts the printer again (same port and spool) after kill
#   stop     stops everything start started
set -eu
cmd=$1 run=$2 port=$3
here=$(cd "$(dirname "$0")" && pwd)
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$run/dbus/system_bus_socket"
export LL_RUN="$run"

dbus_start() {
    mkdir -p "$run/dbus"
    cat >"$run/dbus/system.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path=$run/dbus/system_bus_socket</listen><auth>EXTERNAL</auth>
 <policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy>
</busconfig>
CONF
    dbus-daemon --config-file="$run/dbus/system.conf" --nofork --nopidfile >"$run/dbus.log" 2>&1 &
    echo $! >"$run/dbus.pid"
    for _ in $(seq 100); do [ -S "$run/dbus/system_bus_socket" ] && return 0; sleep 0.05; done
    echo "printer-fixture: dbus-daemon did not start (see $run/dbus.log)" >&2
    return 1
}

printer_start() {
    mkdir -p "$run/spool" "$run/faults"
    # setsid: the printer and its hooks form one process group that kill can end together.
    # RUN/attrs.conf, when there, sets attributes (say media-supported) instead of -f, which
    # ippeveprinter refuses beside -a; its formats are then its own (PWG raster among them).
    if [ -f "$run/attrs.conf" ]; then
        set -- -a "$run/attrs.conf"
    else
        set -- -f image/pwg-raster,image/png,application/pdf
    fi
    setsid ippeveprinter -v -n localhost -p "$port" -r off -d "$run/spool" -k "$@" \
        -c "$here/ipp-hook.sh" likeletter-test >>"$run/ipe.log" 2>&1 &
    echo $! >"$run/ipe.pid"
    for _ in $(seq 200); do
        if ipptool -q -T 1 "ipp://localhost:$port/ipp/print" get-printer-attributes.test 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    echo "printer-fixture: ippeveprinter did not answer on port $port (see $run/ipe.log)" >&2
    return 1
}

stop_pid() {
    [ -f "$1" ] || return 0
    pid=$(cat "$1")
    kill -"$2" -- "-$pid" 2>/dev/null || kill -"$2" "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    rm -f "$1"
}

case $cmd in
start) mkdir -p "$run"; dbus_start; printer_start ;;
restart) printer_start ;;
kill) stop_pid "$run/ipe.pid" KILL; stop_pid "$run/hook.pid" KILL ;;
stop) stop_pid "$run/ipe.pid" TERM; stop_pid "$run/dbus.pid" TERM ;;
*) echo "usage: $0 start|stop|kill|restart RUN PORT" >&2; exit 2 ;;
esac
