#!/usr/bin/env python3
"""The kiosk in a real window: Xvfb (started here, on a display it picks, stopped by PID), the
real `likeletter kiosk` with a config pointing at a real IPP printer (ippeveprinter, as in
test_printing.py), driven with xdotool like a visitor's finger, checked through the database
(SQLite), the printer's spool (the QR decoded with zbarimg) and the kiosk's log of screens.
Screenshots are compared with reference/<case>-<name>.png (shotcompare.py); with
LIKELETTER_SHOTS_UPDATE=1 (tools/shots-update.sh) they are stored there instead.
    test_kiosk.py ladder|rungs|letter|cards|caret|trouble|bad_feed|idle|crash|admin|portrait|safety
"""
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shotcompare  # noqa: E402
import test_printing as tp  # noqa: E402  (the printer fixture and the checks)

W, H = 1280, 800
# Each screenshot <case>-<name>.png is compared with the one stored here; with
# LIKELETTER_SHOTS_UPDATE=1 (tools/shots-update.sh) it is stored here instead.
REFERENCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference")
UPDATE = os.environ.get("LIKELETTER_SHOTS_UPDATE", "") not in ("", "0")


class Xvfb:
    def __init__(self):
        r, w = os.pipe()
        # -noreset: by default the server resets when its last client leaves, and a client
        # connecting meanwhile is turned away (the kiosk's "x11 not available" after the check
        # below had connected and left).
        self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", f"{W}x{H}x24",
                                      "-nolisten", "tcp", "-noreset"], pass_fds=(w,),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(w)
        with os.fdopen(r) as f:
            self.display = ":" + f.readline().strip()
        tp.check(self.display != ":", "Xvfb did not say which display it took")
        self.env = dict(os.environ, DISPLAY=self.display, SDL_VIDEODRIVER="x11",
                        SDL_AUDIODRIVER="dummy")
        # The display number comes before the server takes clients: wait until one gets in.
        for _ in range(100):
            if subprocess.run(["xwininfo", "-root"], env=self.env, capture_output=True).returncode == 0:
                return
            time.sleep(0.05)
        raise tp.Failure(f"Xvfb on {self.display} took no client within 5 s")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Kiosk:
    def __init__(self, case, x, printer_uri, extra_conf="", keep_conf=False):
        self.case, self.x = case, x
        conf = os.path.join(case.root, "likeletter.conf")
        with open(conf, "a" if keep_conf else "w") as f:
            f.write(f"printer = {printer_uri}\nidle_timeout = 15\nstill_there_seconds = 5\n"
                    f"fullscreen = false\n{extra_conf}")
        self.log_path = os.path.join(case.root, "kiosk.log")
        self.log = open(self.log_path, "w")
        self.seen = 0
        env = dict(x.env, LIKELETTER_LOG="info")
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen([tp.LL, "--config", conf, "--state-dir", case.state, "kiosk",
                                      "--windowed", "--size", f"{W}x{H}"],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        # Touches before the first frame land on nothing: wait for it, then for the window's
        # map. The window is looked up after the first frame: SDL may make its window again
        # while it sets up the renderer (a software renderer asked for: BadWindow on the id
        # found before).
        end = time.monotonic() + 10
        while "first frame" not in self.read_log() and time.monotonic() < end:
            tp.check(self.proc.poll() is None, f"the kiosk exited: {self.read_log()}")
            time.sleep(0.05)
        self.wid = self.window()
        time.sleep(0.5)

    def window(self):
        for _ in range(100):
            out = subprocess.run(["xwininfo", "-root", "-tree"], env=self.x.env,
                                 capture_output=True, text=True).stdout
            m = re.search(r'^\s*(0x[0-9a-f]+) "likeletter"', out, re.M)
            if m:
                return m.group(1)
            tp.check(self.proc.poll() is None, f"the kiosk exited: {self.read_log()}")
            time.sleep(0.1)
        raise tp.Failure("no window titled likeletter")

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def tap(self, x, y, settle=0.5):
        subprocess.run(["xdotool", "mousemove", "--window", self.wid, str(x), str(y), "click", "1"],
                       env=self.x.env, check=True)
        time.sleep(settle)

    def type(self, text):
        subprocess.run(["xdotool", "type", "--window", self.wid, "--delay", "40", text],
                       env=self.x.env, check=True)
        time.sleep(0.5)

    def key(self, *keys):
        subprocess.run(["xdotool", "key", "--window", self.wid] + list(keys), env=self.x.env,
                       check=True)
        time.sleep(0.3)

    def screens(self):
        return re.findall(r"kiosk: screen (\S+)", self.read_log())

    def wait_screen(self, name, within):
        """Until the kiosk has shown screen name since the last screen waited for."""
        end = time.monotonic() + within
        while time.monotonic() < end:
            seen = self.screens()
            if name in seen[self.seen:]:
                self.seen = seen.index(name, self.seen) + 1
                return
            time.sleep(0.1)
        raise tp.Failure(f"the kiosk did not reach the {name} screen within {within} s; "
                         f"screens: {self.screens()}")

    def shot(self, name, masks=(), inked=(), limit=shotcompare.LIMIT):
        """A screenshot, checked against its reference (see shotcompare: masks and inked are
        (x, y, w, h) regions known to vary, limit the share of other pixels that may differ).
        Also kept in $LIKELETTER_ARTIFACTS (ctest sets it) for people to see, with a diff image
        when it does not match."""
        path = os.path.join(self.case.root, name + ".png")
        subprocess.run(["import", "-window", "root", path], env=self.x.env, check=True)
        screen = f"{sys.argv[1]}-{name}"
        keep = os.environ.get("LIKELETTER_ARTIFACTS")
        kept = os.path.join(keep, screen + ".png") if keep else path
        if keep:
            os.makedirs(keep, exist_ok=True)
            shutil.copy(path, kept)
        ref = os.path.join(REFERENCES, screen + ".png")
        if UPDATE:
            reference_store(screen, path, ref, masks, inked)
        else:
            reference_check(screen, path, ref, (masks, inked, limit), kept)
        return path

    def keys(self, layout, text):
        """Types text by tapping the on-screen keyboard (along the bottom: 1280 wide, its height
        from the kiosk's layout), where kbd-map says each key is."""
        out = subprocess.run([os.environ["KBD_MAP"], layout], capture_output=True, text=True,
                             check=True).stdout
        where = {}
        for line in out.splitlines():
            t, kx, ky = line.rsplit(" ", 2)
            where[t] = (float(kx), float(ky))
        top, height = 611, 189  # 4 rows of 12.5 mm at 96 dpi (3.78 px/mm), at the bottom
        for ch in text:
            key = "space" if ch == " " else ch.lower()
            tp.check(key in where, f"no key {key!r} on the {layout} letter page")
            kx, ky = where[key]
            self.tap(int(kx * W), int(top + ky * height), settle=0.15)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=15)
        self.log.close()


def reference_store(screen, path, ref, masks, inked):
    """Update mode: the screenshot becomes the reference, unless the stored one already matches
    it with no pixel differing outside the regions (left alone then, so an unchanged screen does
    not churn in git). Stored without ImageMagick's metadata for the same reason."""
    if os.path.exists(ref):
        try:
            shotcompare.check(screen, path, ref, masks, inked, limit=0)
            print(f"{screen}: reference unchanged")
            return
        except shotcompare.Mismatch:
            pass  # replaced below
    os.makedirs(REFERENCES, exist_ok=True)
    # -quality 95 is zlib's level 9 with adaptive filters for a PNG: lossless, a little smaller.
    subprocess.run(["convert", path, "-strip", "-quality", "95", ref], check=True)
    print(f"{screen}: reference written: {ref}")


def reference_check(screen, path, ref, tolerance, kept):
    """The screenshot against its reference, within tolerance (masks, inked, limit); a screen
    without one fails, so none goes unchecked. kept is where people can look at the screenshot
    (the artifacts' copy when there is one)."""
    tp.check(os.path.exists(ref),
             f"screen {screen} has no reference {ref}: look at {kept} and, if it is right, store "
             f"it with tools/shots-update.sh")
    diffs = [os.path.splitext(kept)[0] + "-diff.png"]
    if kept != path:
        diffs.append(os.path.splitext(path)[0] + "-diff.png")
    for d in diffs:  # a diff left by an earlier failing run would mislead
        if os.path.exists(d):
            os.remove(d)
    try:
        got = shotcompare.check(screen, path, ref, *tolerance, diff_paths=diffs)
    except shotcompare.Mismatch as e:
        raise tp.Failure(str(e)) from None
    print(f"{screen}: {got:.4%} of the pixels differ from the reference (limit "
          f"{tolerance[2]:.3%})")


def records(case):
    db = sqlite3.connect(os.path.join(case.state, "likeletter.db"))
    try:
        return db.execute("SELECT rung, COUNT(*) FROM ledger_records GROUP BY rung").fetchall()
    finally:
        db.close()


def setup(c):
    p = tp.with_printer(c)
    x = Xvfb()
    c.cleanup.append(x.stop)
    k = Kiosk(c, x, p.uri)
    c.cleanup.append(k.stop)
    return p, x, k


# Where things are at 1280x800 (the layout is in mm at 96 dpi under Xvfb).
BEGIN = (640, 400)
LIKE = (960, 715)
SHARE = (960, 575)
LETTER = (960, 150)
CALL = (960, 295)
MESSAGE = (960, 435)
DONE = (640, 760)

# Parts of screens that vary from run to run, (x, y, w, h), left out of the screenshot comparison.
# "Touch to begin" breathes: it switches between two colours with the clock (a 3.8 s sine).
MASK_TOUCH_TO_BEGIN = (536, 662, 208, 36)
# The card preview's last line ends with today's date (same width every day: the digits are
# monospaced in DejaVu Sans).
MASK_CARD_DATE = (200, 554, 58, 14)
# The caret after "Jonas" in the signature field blinks every 530 ms.
MASK_SIGNED_CARET = (550, 236, 22, 30)
# The card preview's handwriting: its seed is the session's random id (the print must match the
# preview, not the last run), so the letters take other shapes each run. Compared by ink only;
# what was written is checked in the queue and on the printed card.
INKED_CARD_WRITING = (72, 92, 354, 150)
# The invitation's QR code holds the slot offered and the time it was made (DTSTAMP), so it is
# another code each run; the test decodes it and checks what it says instead.
MASK_CALL_QR = (365, 144, 550, 550)


def case_ladder(c):
    p, x, k = setup(c)
    k.tap(*BEGIN)
    k.wait_screen("post", 5)
    k.tap(*LIKE)
    k.wait_screen("liked", 5)
    k.tap(*LIKE, settle=2.5)  # a second like from this session counts for nothing
    k.wait_screen("post", 5)
    k.tap(*SHARE)
    k.wait_screen("share", 5)
    k.shot("share")
    got = dict(records(c))
    tp.check(got.get(0) == 1 and got.get(1) == 1,
             f"ledger after like, like again and share: expected one like and one share, "
             f"got {got} (rung 0 like, 1 share)")


def decode(k, name, masks=()):
    """The QR code on the screen, decoded with zbarimg."""
    shot = k.shot(name, masks)
    z = subprocess.run([tp.ZBARIMG, "-q", "--raw", "--nodbus", shot], capture_output=True,
                       text=True)
    return z.stdout.strip()


def case_rungs(c):
    p, x, k = setup(c)
    k.tap(*BEGIN)
    k.wait_screen("post", 5)
    k.tap(*MESSAGE)
    k.wait_screen("message", 5)
    # ASCII only: xdotool's typing of other characters depends on a keymap Xvfb lacks.
    k.type("Danke, Juergen!")
    k.tap(1140, 560, settle=1.0)  # send
    got = decode(k, "message")
    tp.check(got.startswith("mailto:juergen.weiss@northwind.example?subject=") and
             "Danke%2C%20Juergen%21" in got,
             f"the message QR: expected a mailto: to the author with the message, got {got!r}")
    k.tap(*DONE)
    k.wait_screen("post", 5)
    k.tap(*CALL)
    k.wait_screen("call", 5)
    k.tap(200, 150, settle=1.0)  # the first slot offered
    got = decode(k, "call", masks=[MASK_CALL_QR])
    tp.check(got.startswith("BEGIN:VCALENDAR") and "ORGANIZER" in got and
             "juergen.weiss@northwind.example" in got,
             f"the coffee QR: expected an invitation to the author, got {got[:200]!r}")
    db = sqlite3.connect(os.path.join(c.state, "likeletter.db"))
    rows = db.execute("SELECT rung, text FROM ledger_records ORDER BY id").fetchall()
    db.close()
    tp.check(len(rows) == 2 and rows[0] == (2, "Danke, Juergen!") and rows[1][0] == 3 and
             re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", rows[1][1] or ""),
             f"ledger: expected the message and the call slot, got {rows}")


def expect_printed(c, p, header, what):
    """Exactly one card reached the printer: its PWG raster header starts with header (the
    page's pixels and resolution; what says it in words), and its QR code leads to the post."""
    pwg = os.listdir(os.path.join(p.run, "printed"))
    tp.check(len(pwg) == 1, f"expected one card at the printer, got {pwg}")
    png = os.path.join(c.root, "printed.png")
    r = subprocess.run([tp.PWG_READ, os.path.join(p.run, "printed", pwg[0]), png],
                       capture_output=True, text=True)
    tp.check(r.returncode == 0 and r.stdout.startswith(header),
             f"the printed card: expected {what} at 300 dpi, got {r.stdout!r} {r.stderr!r}")
    z = subprocess.run([tp.ZBARIMG, "-q", "--raw", "--nodbus", png], capture_output=True,
                       text=True)
    post = "https://social.northwind.example/@juergen/1042"
    tp.check(z.stdout.strip() == post, f"the card's QR: expected {post}, got {z.stdout!r}")


def case_letter(c):
    """attract -> (Deutsch) -> post -> letter: a German note typed with umlauts on the on-screen
    keyboard, signed on a physical one, previewed, printed; the card arrives at the printer and
    its QR code leads to the post."""
    p, x, k = setup(c)
    k.shot("attract", masks=[MASK_TOUCH_TO_BEGIN])  # the first post: the next comes after 7 s
    k.tap(640, 760)  # Deutsch
    k.tap(*BEGIN)
    k.wait_screen("post", 5)
    k.shot("ladder")
    k.tap(*LETTER)
    k.wait_screen("letter", 5)
    k.tap(900, 150)  # the note field: the on-screen keyboard comes up, shifted for a capital
    k.keys("de", "Grüße")
    k.type(" und vielen Dank")
    k.key("Tab")
    k.type("Jonas")
    k.shot("letter", masks=[MASK_CARD_DATE, MASK_SIGNED_CARET], inked=[INKED_CARD_WRITING])
    k.tap(900, 150)
    k.tap(1270, 600)  # nothing there: the keyboard stays, nothing typed
    k.key("ctrl+a")  # not an editing key: ignored
    k.tap(1165, 565)  # print (above the keyboard)
    k.wait_screen("printing", 5)
    k.wait_screen("done", 30)
    time.sleep(0.5)
    k.shot("done")
    printed = p.printed()
    tp.check(len(printed) == 1, f"expected one card at the printer, got {printed}")
    db = sqlite3.connect(os.path.join(c.state, "likeletter.db"))
    note, signed = db.execute("SELECT note, from_name FROM print_jobs").fetchone()
    db.close()
    note = note.decode() if isinstance(note, bytes) else note
    tp.check(note == "Grüße und vielen Dank" and signed == "Jonas",
             f"the queued card: expected the note and name typed, got {note!r} / {signed!r}")
    expect_printed(c, p, "1240x1748 300x300dpi", "an A6 page")
    k.stop()
    for line in k.read_log().splitlines():
        if "measured" in line:
            print(line)  # frame and preview times, for the note
    got = dict(records(c))
    tp.check(got.get(4) == 1, f"ledger: expected one letter, got {got}")


def case_cards(c):
    """The card sizes offered are those of cards_offered the printer takes: a printer with 4x6
    and A6 paper (and letter) gets those two buttons; the visitor picks 4x6 and a 4x6 in card
    arrives."""
    p = tp.with_printer(c, media=["na_index-4x6_4x6in", "iso_a6_105x148mm", "na_letter_8.5x11in"])
    x = Xvfb()
    c.cleanup.append(x.stop)
    k = Kiosk(c, x, p.uri, "cards_offered = a6,a5,4x6,5x7\n")
    c.cleanup.append(k.stop)
    end = time.monotonic() + 10
    while "card sizes the printer takes" not in k.read_log() and time.monotonic() < end:
        time.sleep(0.1)
    tp.check("card sizes the printer takes: A6,4x6\n" in k.read_log(),
             f"expected the printer's A6 and 4x6 found, log: {k.read_log()}")
    k.tap(*BEGIN)
    k.wait_screen("post", 5)
    k.tap(*LETTER)
    k.wait_screen("letter", 5)
    k.shot("cards")
    k.tap(1072, 410)  # the second of two card buttons: 4x6
    k.tap(900, 150)
    k.type("Thank you")
    k.key("Tab")
    k.type("Sam")
    k.tap(1165, 565)  # print (above the keyboard)
    k.wait_screen("done", 30)
    expect_printed(c, p, "1200x1800 300x300dpi", "4x6 in")


def case_caret(c):
    """A tap in the note's text puts the cursor there: "Dank" typed, a tap before its first
    letter, "Vielen " typed, and the card says "Vielen Dank". In German the greeting steps from
    Liebe to Lieber with one tap, and the card keeps it."""
    p, x, k = setup(c)
    k.tap(640, 760)  # Deutsch
    k.tap(*BEGIN)
    k.wait_screen("post", 5)
    k.tap(*LETTER)
    k.wait_screen("letter", 5)
    k.tap(1150, 40)  # the greeting: Liebe -> Lieber
    k.tap(900, 150)  # the note field
    k.type("Dank")
    k.tap(509, 117)  # just left of the "D": the first line's start
    k.type("Vielen ")
    k.key("Tab")
    k.type("Jonas")
    k.tap(1165, 565)  # print (above the keyboard)
    k.wait_screen("done", 30)
    db = sqlite3.connect(os.path.join(c.state, "likeletter.db"))
    note, salutation = db.execute("SELECT note, salutation FROM print_jobs").fetchone()
    db.close()
    note = note.decode() if isinstance(note, bytes) else note
    tp.check(note == "Vielen Dank", f"the note after a tap before its text: expected "
                                    f"'Vielen Dank', got {note!r}")
    tp.check(salutation == "Lieber", f"the greeting after one tap: expected 'Lieber', got "
                                     f"{salutation!r}")


def case_idle(c):
    p, x, k = setup(c)
    k.tap(*BEGIN)
    k.wait_screen("post", 5)
    k.tap(*LETTER)
    k.wait_screen("letter", 5)
    k.type("A secret note")
    t0 = time.monotonic()
    k.wait_screen("still-there", 20)
    k.tap(*BEGIN)  # "yes, still here"
    k.wait_screen("letter", 5)
    k.wait_screen("still-there", 20)
    k.wait_screen("attract", 10)
    took = time.monotonic() - t0
    # The session is gone: back on the letter screen the note is empty again.
    k.tap(*BEGIN)
    k.wait_screen("post", 5)
    k.tap(*LETTER)
    k.wait_screen("letter", 5)
    shot = k.shot("after-idle")
    tp.check(os.path.getsize(shot) > 0, "no screenshot")
    print(f"idle: prompt, continue, prompt again and wipe in {took:.1f} s")


def case_crash(c):
    """A letter being written survives the kiosk's crash, but only within its session."""
    p, x, k = setup(c)
    k.tap(*BEGIN)
    k.wait_screen("post", 5)
    k.tap(*LETTER)
    k.wait_screen("letter", 5)
    k.tap(900, 150)
    k.type("Autosaved words")
    time.sleep(3)  # the autosave runs at most every 2 s while typing
    k.proc.kill()
    k.proc.wait()
    t_kill = time.monotonic()
    k2 = Kiosk(c, x, p.uri)
    c.cleanup.append(k2.stop)
    tp.check("a letter was restored" in k2.read_log(),
             f"after SIGKILL: expected the letter restored, log: {k2.read_log()}")
    k2.wait_screen("letter", 2)
    # It still ends when the session would have: 15 s idle + 5 s prompt after the last key.
    k2.wait_screen("attract", 30)
    took = time.monotonic() - t_kill
    tp.check(took < 20, f"the restored session lasted {took:.1f} s after the crash")
    k2.stop()
    db = sqlite3.connect(os.path.join(c.state, "likeletter.db"))
    rows = db.execute("SELECT COUNT(*) FROM draft_note").fetchone()[0]
    db.close()
    tp.check(rows == 0, f"the draft is still stored after the session ended ({rows} rows)")
    k3 = Kiosk(c, x, p.uri)
    c.cleanup.append(k3.stop)
    time.sleep(1)
    tp.check("a letter was restored" not in k3.read_log(), "an expired letter came back")
    print(f"crash: restored, then forgotten {took:.1f} s after the crash")


def case_admin(c):
    """The hidden way in (3 s in the top-left corner, then the PIN), a test print, the exit."""
    p = tp.with_printer(c)
    x = Xvfb()
    c.cleanup.append(x.stop)
    conf = os.path.join(c.root, "likeletter.conf")
    with open(conf, "w") as f:
        f.write(f"printer = {p.uri}\nfullscreen = false\n")
    r = subprocess.run([tp.LL, "--config", conf, "pin"], input="2468\n", capture_output=True,
                       text=True)
    tp.check(r.returncode == 0, f"likeletter pin: {r.stderr}")
    k = Kiosk(c, x, p.uri, keep_conf=True)
    c.cleanup.append(k.stop)
    press = ["xdotool", "mousemove", "--window", k.wid, "20", "20", "mousedown", "1"]
    subprocess.run(press, env=x.env, check=True)
    time.sleep(3.4)
    subprocess.run(["xdotool", "mouseup", "1"], env=x.env, check=True)
    k.wait_screen("pin", 3)
    digit = {d: (539 + ((d - 1) % 3) * 71 + 30, 151 + ((d - 1) // 3) * 71 + 30) for d in range(1, 10)}
    for d in (1, 3, 5, 7):  # a wrong PIN first
        k.tap(*digit[d], settle=0.2)
    k.tap(711, 394)
    tp.check(k.screens()[-1] == "pin", f"a wrong PIN let the admin in: {k.screens()}")
    for d in (2, 4, 6, 8):
        k.tap(*digit[d], settle=0.2)
    k.tap(711, 394)
    k.wait_screen("admin", 3)
    k.tap(264, 148, settle=0.5)  # test print
    end = time.monotonic() + 20
    while not p.printed() and time.monotonic() < end:
        time.sleep(0.2)
    tp.check(len(p.printed()) == 1, f"the test print: expected one card, got {p.printed()}")
    k.tap(117, 756, settle=1.0)  # exit
    tp.check(k.proc.wait(timeout=10) == 0, "the admin's exit: expected exit status 0")
    tp.check("2468" not in k.read_log(), "the PIN appears in the log")


def case_portrait(c):
    """A portrait UI on a landscape panel: drawn turned a quarter, touches mapped back."""
    p = tp.with_printer(c)
    x = Xvfb()
    c.cleanup.append(x.stop)
    k = Kiosk(c, x, p.uri, extra_conf="orientation = portrait\n")
    c.cleanup.append(k.stop)
    # The UI is 800 wide and 1280 tall; its point (ux, uy) shows at window (1280 - uy, ux).
    # "Deutsch", the middle language button at the bottom of the UI, is at about (400, 1240).
    k.tap(1280 - 1240, 400)
    tp.check("kiosk: language de" in k.read_log() and not k.screens(),
             f"a tap on the turned Deutsch button: expected German and no screen change, "
             f"log: {k.read_log()[-500:]}")
    k.tap(640, 400)
    k.wait_screen("post", 5)
    k.shot("portrait")


def case_trouble(c):
    """Printer trouble while a card prints: the words for it, the card kept, then printed once
    when paper is back."""
    p, x, k = setup(c)
    p.media_level(0)  # out of paper
    k.tap(*BEGIN)
    k.wait_screen("post", 5)
    k.tap(*LETTER)
    k.wait_screen("letter", 5)
    k.tap(900, 150)
    k.type("Thanks")
    k.key("Tab")
    k.type("Jo")
    k.tap(1165, 565)
    k.wait_screen("printing", 5)
    end = time.monotonic() + 5
    while "out of paper" not in k.read_log() and time.monotonic() < end:
        time.sleep(0.1)
    tp.check("out of paper" in k.read_log(), "no out-of-paper message within 5 s")
    k.shot("trouble")
    tp.check(p.printed() == [], "printed without paper")
    p.media_level(250)
    k.wait_screen("done", 30)
    tp.check(len(p.printed()) == 1, f"after paper was added: expected one card, got {p.printed()}")


def case_bad_feed(c):
    """A feed that is not a feed: the kiosk says so in its log, starts, and shows no posts."""
    p = tp.with_printer(c)
    x = Xvfb()
    c.cleanup.append(x.stop)
    bad = os.path.join(c.root, "feed.xml")
    with open(bad, "w") as f:
        f.write("<html><body>not a feed</body>")
    k = Kiosk(c, x, p.uri, extra_conf=f"feed = {bad}\n")
    c.cleanup.append(k.stop)
    tp.check(re.search(r"kiosk: .*feed\.xml", k.read_log()), f"no word of the bad feed: {k.read_log()}")
    k.tap(*BEGIN)
    k.tap(*LIKE)
    tp.check(k.proc.poll() is None and k.screens() == [],
             f"with no posts a tap must do nothing: screens {k.screens()}")
    k.shot("no-posts")


def case_safety(c):
    p, x, k = setup(c)
    for keys in (["Escape"], ["alt+F4"], ["ctrl+q"], ["ctrl+w"], ["ctrl+alt+BackSpace"]):
        k.key(*keys)
        tp.check(k.proc.poll() is None, f"{keys[0]} ended the kiosk")
    first = re.search(r"first frame after (\d+) ms", k.read_log())
    tp.check(first and int(first.group(1)) <= 300,
             f"first frame: expected within 300 ms of the window, log: {k.read_log()[:300]}")
    k.stop()
    tp.check(k.proc.returncode == 0, f"SIGTERM: expected exit 0, got {k.proc.returncode}")


def run(name, fn):
    """Runs fn(case) as the test called name: prints passed, or FAILED with the reason and the
    end of the kiosk's log; returns the exit status. LIKELETTER_KEEP=1 keeps the files."""
    c = tp.Case()
    try:
        fn(c)
        print(f"{name}: passed")
        return 0
    except tp.Failure as e:
        print(f"{name}: FAILED: {e}", file=sys.stderr)
        try:
            print(open(os.path.join(c.root, "kiosk.log")).read()[-3000:], file=sys.stderr)
        except OSError:
            pass
        return 1
    finally:
        if os.environ.get("LIKELETTER_KEEP"):
            # Keep the files (screenshots, logs) but never the servers.
            c.root, kept = tempfile.mkdtemp(prefix="likeletter-kept."), c.root
            print(f"kept {kept}", file=sys.stderr)
        c.finish()


def main():
    named = tp.case_named(globals(), __doc__)
    return run(*named) if named else 2


if __name__ == "__main__":
    sys.exit(main())
