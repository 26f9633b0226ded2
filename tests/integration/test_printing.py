#!/usr/bin/env python3
"""Printing against real servers: ippeveprinter on loopback (with a private D-Bus, started by
printer-fixture.sh) and cupsd in the foreground with a private ServerRoot. One case per run:
    test_printing.py direct|cups|refused|hung|jam|paper_out|cover_open|killed|crash|burst
The servers are started and stopped here, by PID. What counts as printed is what the printer's
print command (ipp-hook.sh) finished: one line per document in printed.log.

Environment (ctest sets it): LIKELETTER, PWG_READ, LIKELETTER_TEST_ZBARIMG,
LIKELETTER_TEST_FONT, LIKELETTER_TEST_FALLBACK.
"""
import os
import queue
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
LL = os.environ["LIKELETTER"]
PWG_READ = os.environ["PWG_READ"]
ZBARIMG = os.environ.get("LIKELETTER_TEST_ZBARIMG", "")
FONT = os.environ["LIKELETTER_TEST_FONT"]
FALLBACK = os.environ["LIKELETTER_TEST_FALLBACK"]
FIXTURE = os.path.join(HERE, "printer-fixture.sh")
MESSAGE_WITHIN = 5.0  # seconds a fault may take to show (the issue's bound)


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url(n):
    return f"https://social.example/@anna/{n}"


def card_args(n):
    return ["--post-url", url(n), "--post-title", f"Reading group {n}", "--to", "Anna",
            "--from", "Jonas", "--text", f"Thank you for post {n}, it made my week!",
            "--seed", str(n), "--date", "2024-05-17", "--font", FONT, "--fallback-font", FALLBACK]


def media_hmm(name):
    """A PWG media name's size in hundredths of mm: "iso_a6_105x148mm" -> (10500, 14800)."""
    m = re.fullmatch(r".*_([\d.]+)x([\d.]+)(mm|in)", name)
    check(m is not None, f"not a PWG media name: {name}")
    unit = 100 if m.group(3) == "mm" else 2540
    return round(float(m.group(1)) * unit), round(float(m.group(2)) * unit)


class Printer:
    """ippeveprinter through printer-fixture.sh; its run folder holds spool, faults, logs."""

    def __init__(self, root, start=True, media=None):
        """media: the paper sizes it lists (PWG names), the first its default; else its own."""
        self.run = os.path.join(root, "printer")
        self.port = free_port()
        self.uri = f"ipp://localhost:{self.port}/ipp/print"
        os.makedirs(os.path.join(self.run, "faults"), exist_ok=True)
        if media:
            # With an attributes file, ippeveprinter adds no make and model nor media-col-default;
            # IPP Everywhere printers have both (and the fixture's ipptool check wants them).
            w, h = media_hmm(media[0])
            with open(os.path.join(self.run, "attrs.conf"), "w") as f:
                f.write(f"ATTR keyword media-supported {','.join(media)}\n"
                        f"ATTR keyword media-default {media[0]}\n"
                        f'ATTR text printer-make-and-model "likeletter test printer"\n'
                        f"ATTR collection media-col-default {{\n"
                        f"  MEMBER collection media-size {{\n"
                        f"    MEMBER integer x-dimension {w}\n"
                        f"    MEMBER integer y-dimension {h}\n"
                        f"  }}\n"
                        f"}}\n")
        self.started = False
        if start:
            self.start()

    def fixture(self, cmd):
        subprocess.run([FIXTURE, cmd, self.run, str(self.port)], check=True)

    def start(self):
        self.fixture("start")
        self.started = True

    def stop(self):
        if self.started:
            self.fixture("stop")
            self.started = False

    def kill(self):
        self.fixture("kill")

    def restart(self):
        self.fixture("restart")

    def pid(self):
        with open(os.path.join(self.run, "ipe.pid")) as f:
            return int(f.read())

    def fault(self, name, value=""):
        with open(os.path.join(self.run, "faults", name), "w") as f:
            f.write(value)

    def clear(self, name):
        os.unlink(os.path.join(self.run, "faults", name))

    def media_level(self, level):
        size = "na_letter_8.5x11in"
        q = f"size1={size}&level1={level}&size3={size}&level3={level}"
        urllib.request.urlopen(f"http://localhost:{self.port}/media?{q}", timeout=5).read()

    def printed(self):
        """The queue job names the printer finished, in order ("likeletter-<id>": the printer's
        job name without its creation-time suffix)."""
        try:
            with open(os.path.join(self.run, "printed.log")) as f:
                names = f.read().split()
        except FileNotFoundError:
            return []
        for n in names:
            check(re.fullmatch(r"likeletter-\d+-[0-9a-f]+", n), f"unexpected job name {n!r}")
        return [n.rsplit("-", 1)[0] for n in names]


class Cupsd:
    """cupsd in the foreground with everything under one temp tree (RECIPES.md §4)."""

    def __init__(self, root):
        self.root = os.path.join(root, "cups")
        self.port = free_port()
        for d in ("etc/ppd", "spool/tmp", "cache", "state", "log", "run"):
            os.makedirs(os.path.join(self.root, d), exist_ok=True)
        os.chmod(root, 0o755)
        for dirpath, dirs, _ in os.walk(self.root):
            os.chmod(dirpath, 0o755)
        self.sock = os.path.join(self.root, "run/cups.sock")
        r = self.root
        with open(os.path.join(r, "etc/cupsd.conf"), "w") as f:
            f.write(f"Listen 127.0.0.1:{self.port}\nListen {self.sock}\nBrowsing No\n"
                    "WebInterface No\nDefaultAuthType None\nLogLevel info\n"
                    "<Location />\nOrder allow,deny\nAllow localhost\n</Location>\n")
        with open(os.path.join(r, "etc/cups-files.conf"), "w") as f:
            f.write(f"ServerRoot {r}/etc\nRequestRoot {r}/spool\nTempDir {r}/spool/tmp\n"
                    f"CacheDir {r}/cache\nStateDir {r}/state\nAccessLog {r}/log/access_log\n"
                    f"ErrorLog {r}/log/error_log\nPageLog {r}/log/page_log\n"
                    "User lp\nGroup lp\nSystemGroup root lpadmin\n"
                    f"Printcap {r}/printcap\n")
        conf = ["-c", f"{r}/etc/cupsd.conf", "-s", f"{r}/etc/cups-files.conf"]
        subprocess.run(["cupsd", "-t"] + conf, check=True, capture_output=True)
        log = open(os.path.join(r, "cupsd.out"), "w")
        self.proc = subprocess.Popen(["cupsd", "-f"] + conf, stdout=log, stderr=log)
        self.env = dict(os.environ, CUPS_SERVER=self.sock)
        for _ in range(100):
            out = subprocess.run(["lpstat", "-r"], env=self.env, capture_output=True, text=True)
            if out.stdout.strip() == "scheduler is running":
                return
            time.sleep(0.1)
        raise Failure("cupsd did not start (see %s/log/error_log)" % r)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Worker:
    """`likeletter printd` with its event lines collected as they come."""

    def __init__(self, state, env=None):
        self.lines = queue.Queue()
        self.seen = []
        self.proc = subprocess.Popen([LL, "--state-dir", state, "printd"], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=env)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern, within, what):
        """The first line matching pattern within `within` seconds; fails naming what."""
        end = time.monotonic() + within
        rx = re.compile(pattern)
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if rx.search(line):
                return line
        raise Failure(f"{what}: no line matching /{pattern}/ within {within:.1f} s; printd said:\n  "
                      + "\n  ".join(self.seen[-30:]))

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=15)


class Case:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="likeletter-printing.")
        self.state = os.path.join(self.root, "state")
        self.cleanup = []

    def ll(self, *args, env=None, timeout=120):
        return subprocess.run([LL, "--state-dir", self.state] + list(args), capture_output=True,
                              text=True, env=env, timeout=timeout)

    def queue_card(self, n, printer, env=None):
        """`likeletter print` without --wait: queued durably, returns the queue id."""
        for _ in range(600):
            r = self.ll("print", *card_args(n), "--printer", printer, env=env)
            if r.returncode == 0:
                m = re.search(r"queued card (\d+)", r.stdout)
                check(m, f"print: no queue id in {r.stdout!r}")
                return int(m.group(1))
            check("queue is full" in r.stderr, f"print card {n}: exit {r.returncode}: {r.stderr}")
            time.sleep(0.2)
        raise Failure("the queue stayed full")

    def wait_queue_empty(self, within, what):
        """Until `likeletter queue` lists no pending or failed job."""
        end = time.monotonic() + within
        while time.monotonic() < end:
            q = self.ll("queue")
            if "(no pending or failed jobs)" in q.stdout:
                return
            time.sleep(0.2)
        raise Failure(f"{what}: jobs still pending after {within} s:\n{q.stdout}")

    def expect_printed_once(self, printer, names, what):
        got = printer.printed()
        for name in names:
            check(got.count(name) == 1,
                  f"{what}: {name} printed {got.count(name)} times; printed.log: {got}")
        check(len(got) == len(names), f"{what}: printed {len(got)} documents, expected {len(names)}")

    def expect_card_in_spool(self, printer, name, n, size="1240x1748 300x300dpi"):
        pwg = [f for f in os.listdir(os.path.join(printer.run, "printed")) if name + "-" in f]
        check(len(pwg) == 1, f"{name}: expected one document in the printer's spool, found {pwg}")
        png = os.path.join(self.root, name + ".png")
        r = subprocess.run([PWG_READ, os.path.join(printer.run, "printed", pwg[0]), png],
                           capture_output=True, text=True)
        check(r.returncode == 0, f"pwg-read {pwg[0]}: {r.stderr}")
        check(r.stdout.startswith(size) and "pages=1" in r.stdout,
              f"{pwg[0]}: expected a one-page {size} PWG raster, got {r.stdout!r}")
        check(ZBARIMG, "zbarimg is needed to decode the card's QR code")
        z = subprocess.run([ZBARIMG, "-q", "--raw", "--nodbus", png], capture_output=True,
                           text=True)
        check(z.stdout.strip() == url(n),
              f"{pwg[0]}: the QR code decodes to {z.stdout.strip()!r}, expected {url(n)!r}")
        return r.stdout

    def finish(self):
        for f in reversed(self.cleanup):
            try:
                f()
            except Exception as e:  # keep stopping the others
                print(f"cleanup: {e}", file=sys.stderr)
        shutil.rmtree(self.root, ignore_errors=True)


def with_printer(c, start=True, media=None):
    p = Printer(c.root, start, media)
    c.cleanup.append(p.stop)
    return p


def with_worker(c, env=None):
    w = Worker(c.state, env)
    c.cleanup.append(w.stop)
    return w


def case_direct(c):
    p = with_printer(c)
    t0 = time.monotonic()
    r = c.ll("print", *card_args(1), "--printer", p.uri, "--wait", "--timeout", "30")
    check(r.returncode == 0, f"print --wait: exit {r.returncode}\n{r.stdout}{r.stderr}")
    check("job 1: printed" in r.stdout, f"print --wait said: {r.stdout}")
    header = c.expect_card_in_spool(p, "likeletter-1", 1)
    c.expect_printed_once(p, ["likeletter-1"], "direct")
    q = c.ll("queue", "--all")
    check(re.search(r"\b1\s+completed", q.stdout), f"queue --all: {q.stdout}")
    print(f"direct: printed in {time.monotonic() - t0:.2f} s: {header.strip()}")


def case_cups(c):
    p = with_printer(c)
    cups = Cupsd(c.root)
    c.cleanup.append(cups.stop)
    subprocess.run(["lpadmin", "-p", "kiosk", "-E", "-v", p.uri, "-m", "everywhere"],
                   env=cups.env, check=True, capture_output=True, timeout=60)
    lst = c.ll("printers", env=cups.env)
    check("kiosk" in lst.stdout, f"printers does not list the queue: {lst.stdout}{lst.stderr}")
    r = c.ll("print", *card_args(2), "--printer", "kiosk", "--wait", "--timeout", "60",
             env=cups.env)
    check(r.returncode == 0, f"print --printer kiosk --wait: exit {r.returncode}\n{r.stdout}{r.stderr}")
    c.expect_card_in_spool(p, "likeletter-1", 2)
    c.expect_printed_once(p, ["likeletter-1"], "through cupsd")


def case_refused(c):
    p = with_printer(c, start=False)
    t0 = time.monotonic()
    r = c.ll("print", *card_args(3), "--printer", p.uri, "--wait", "--timeout", "4")
    took = time.monotonic() - t0
    check(r.returncode != 0, "print --wait to a printer that is not running exited 0")
    check("not answering" in r.stdout, f"no 'not answering' message: {r.stdout}")
    check("stays queued" in r.stdout, f"no word that the card stays queued: {r.stdout}")
    check(took < 4 + MESSAGE_WITHIN, f"print --wait --timeout 4 took {took:.1f} s")
    check(p.printed() == [], "something printed without a printer")
    p.start()
    w = with_worker(c)
    w.wait_for(r"job 1: completed", 20, "after the printer started")
    c.expect_printed_once(p, ["likeletter-1"], "refused, then started")


def case_hung(c):
    p = with_printer(c)
    os.kill(p.pid(), signal.SIGSTOP)  # accepts connections, never answers
    c.cleanup.append(lambda: os.kill(p.pid(), signal.SIGCONT))
    w = with_worker(c)
    c.queue_card(4, p.uri)
    t0 = time.monotonic()
    w.wait_for(r"not answering", MESSAGE_WITHIN, "a hung printer")
    print(f"hung: told after {time.monotonic() - t0:.2f} s")
    check(w.proc.poll() is None, "printd died on a hung printer")
    os.kill(p.pid(), signal.SIGCONT)
    w.wait_for(r"job 1: completed", 30, "after the printer woke up")
    c.expect_printed_once(p, ["likeletter-1"], "hung, then woke")


def case_jam(c):
    p = with_printer(c)
    p.fault("jam-once")
    w = with_worker(c)
    c.queue_card(5, p.uri)
    w.wait_for(r"paper is jammed", MESSAGE_WITHIN, "a paper jam")
    w.wait_for(r"job 1: completed", 30, "after the jam was cleared")
    c.expect_printed_once(p, ["likeletter-1"], "jam")
    with open(os.path.join(p.run, "hook.log")) as f:
        jams = f.read().split()
        check(len(jams) == 2 and jams[0] == "jammed" and jams[1].startswith("likeletter-1-"),
              f"the jam did not happen once: {jams}")


def case_paper_out(c):
    p = with_printer(c)
    p.media_level(0)
    w = with_worker(c)
    c.queue_card(6, p.uri)
    w.wait_for(r"out of paper", MESSAGE_WITHIN, "paper out")
    time.sleep(1.5)
    check(p.printed() == [], "printed without paper")
    q = c.ll("queue")
    check(re.search(r"\b1\s+queued.*out of paper", q.stdout), f"queue while out of paper: {q.stdout}")
    p.media_level(250)
    w.wait_for(r"job 1: completed", 30, "after paper was added")
    c.expect_printed_once(p, ["likeletter-1"], "paper out")


def case_cover_open(c):
    p = with_printer(c)
    p.fault("cover-open")
    w = with_worker(c)
    c.queue_card(7, p.uri)
    w.wait_for(r"cover is open", MESSAGE_WITHIN, "cover open while printing")
    check(p.printed() == [], "printed with the cover open")
    p.clear("cover-open")
    w.wait_for(r"job 1: completed", 30, "after the cover was closed")
    c.expect_printed_once(p, ["likeletter-1"], "cover open")


def case_killed(c):
    p = with_printer(c)
    p.fault("slow", "3")
    w = with_worker(c)
    c.queue_card(8, p.uri)
    w.wait_for(r"job 1: submitted", 10, "the job reaching the printer")
    time.sleep(0.5)
    p.kill()
    t0 = time.monotonic()
    w.wait_for(r"not answering", MESSAGE_WITHIN, "the printer killed mid-job")
    print(f"killed: told after {time.monotonic() - t0:.2f} s")
    p.clear("slow")
    p.restart()
    w.wait_for(r"job 1: completed", 30, "after the printer came back")
    c.expect_printed_once(p, ["likeletter-1"], "printer killed mid-job")


def case_crash(c):
    """The worker killed with SIGKILL at every point of a submission, many times; afterwards
    every card printed exactly once, in order. Most runs crash at a named point (fault.h:
    after picking the job, after committing submitting, part-way into the document at several
    depths, after the printer accepted it, after committing submitted, when the printer said
    completed); the rest at random times."""
    p = with_printer(c)
    points = [("picked", 0), ("submitting", 0), ("body", 0), ("body", 2), ("body", 6),
              ("body", 12), ("sent", 0), ("submitted", 0), ("completing", 0)]
    runs = 63
    rng = random.Random(20261125)
    ids, crashed = [], {}
    for i in range(runs):
        ids.append(c.queue_card(i + 1, p.uri))
        env = dict(os.environ, LIKELETTER_LOG="info")
        named = i < 54
        if named:
            point, skip = points[i % len(points)]
            env.update(LIKELETTER_CRASH_POINT=point, LIKELETTER_CRASH_SKIP=str(skip))
        w = Worker(c.state, env)
        try:
            w.proc.wait(timeout=15 if named else 0.05 + rng.random() * 0.4)
        except subprocess.TimeoutExpired:
            w.proc.kill()
            w.proc.wait()
        said = [w.lines.get() for _ in range(w.lines.qsize())]
        if named and any("crash point" in x for x in said):
            key = f"{point}+{skip}"
            crashed[key] = crashed.get(key, 0) + 1
    for point, skip in points:
        check(crashed.get(f"{point}+{skip}", 0) >= 3,
              f"the worker did not crash at {point} (after {skip} passes) often enough: {crashed}")
    with_worker(c)
    c.wait_queue_empty(120, f"after {runs} kills")
    time.sleep(0.5)
    names = [f"likeletter-{i}" for i in ids]
    c.expect_printed_once(p, names, f"{runs} SIGKILLs")
    check(p.printed() == names, "the cards did not print in the order they were queued")
    print(f"crash: {runs} SIGKILLs (named points: {crashed}, and {runs - 54} at random times); "
          f"{len(ids)} cards, each printed once, in order")


def case_burst(c):
    p = with_printer(c)
    # Under ASan freed memory sits in a quarantine of up to 256 MB, which swamps RSS by ±20 MB;
    # a small one keeps the measure about live memory (other builds ignore the variable).
    asan = (os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=16").lstrip(":")
    w = with_worker(c, dict(os.environ, ASAN_OPTIONS=asan))
    cards = 200
    rss = []
    ids = []
    for n in range(1, cards + 1):
        ids.append(c.queue_card(n, p.uri))
        if n in (40, cards):
            rss.append(w.rss_kb())
    for i in ids:
        w.wait_for(rf"job {i}: completed", 120, f"card {i} of the burst")
    rss.append(w.rss_kb())
    got = p.printed()
    names = [f"likeletter-{i}" for i in ids]
    check(got == names, f"burst: printed {len(got)} cards, not each once in order")
    growth = rss[-1] - rss[0]
    check(growth < 8 * 1024, f"burst: printd grew by {growth} KiB ({rss})")
    print(f"burst: {cards} cards printed once, in order; printd RSS {rss} KiB")


def case_named(scope, doc):
    """The test named on the command line: (name, its case_ function from scope), or None after
    printing doc (the script's usage) when there is no such case."""
    name = sys.argv[1] if len(sys.argv) == 2 else ""
    case = scope.get("case_" + name)
    if not case:
        print(doc, file=sys.stderr)
        return None
    return name, case


def main():
    named = case_named(globals(), __doc__)
    if not named:
        return 2
    name, case = named
    if not shutil.which("dbus-daemon") or not shutil.which("ipptool"):
        print("dbus-daemon and ipptool are needed (scripts/setup installs them)", file=sys.stderr)
        return 1
    c = Case()
    try:
        case(c)
        print(f"{name}: passed")
        return 0
    except Failure as e:
        print(f"{name}: FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        c.finish()


if __name__ == "__main__":
    sys.exit(main())
