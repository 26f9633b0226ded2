#!/usr/bin/env python3
"""Many visits to the real kiosk in a row, its resident memory read after each: it must stay
flat (issue 5: at most 64 MiB after 200 sessions; see memory_mib() for what is counted). Xvfb, ippeveprinter and the kiosk are
started here as in test_kiosk.py; xdotool plays the visitors.
    soak_kiosk.py [SESSIONS] [RENDERER]   (default 200, software; ctest runs a short soak)

RENDERER is SDL's render driver: "software" (the default) measures the kiosk's own memory;
"opengl" adds what Mesa's llvmpipe (the software GL under Xvfb) keeps, which is not what a
Pi's GPU driver keeps.

Each visit begins on the attract screen, opens a post and writes a letter (the preview is
rendered for every key), then, in turn: prints it (every fifth visit: queue, printer, done
screen), leaves it unprinted, likes the post, or shares it; and goes back to the attract
screen, which ends the session. Prints one line per tenth visit and a summary; fails when
memory grows in the second half by more than GROWTH_MIB, or passes LIMIT_MIB.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_kiosk as tk  # noqa: E402  (the window, the kiosk, where things are)
import test_printing as tp  # noqa: E402

LIMIT_MIB = 64
GROWTH_MIB = 4  # over the second half of the visits: the rest is caches filling up
BACK = (75, 40)  # the top-left "Back" button of the post and letter screens
NOTE = (900, 150)
PRINT = (1165, 565)


def memory_mib(pid):
    """(anonymous, total) resident memory: RssAnon is the kiosk's own (heap, stacks, textures
    in system memory), which a leak grows; VmRSS adds the pages of shared libraries mapped in,
    among them Mesa's llvmpipe and LLVM under Xvfb (about 75 MiB), which a Pi does not load."""
    got = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("RssAnon", "VmRSS"):
                got[key] = int(value.split()[0]) / 1024
    tp.check(len(got) == 2, f"no RssAnon/VmRSS for process {pid}")
    return got["RssAnon"], got["VmRSS"]


def visit(k, n):
    k.tap(*tk.BEGIN, settle=0.3)
    k.wait_screen("post", 5)
    kind = n % 5
    if kind in (0, 1):
        k.tap(*tk.LETTER, settle=0.3)
        k.wait_screen("letter", 5)
        k.tap(*NOTE, settle=0.2)
        k.type(f"Thank you, visit {n}!")
        k.key("Tab")
        k.type("Sam")
        if kind == 0:
            k.tap(*PRINT, settle=0.3)
            k.wait_screen("done", 30)
            k.tap(*tk.DONE, settle=0.3)
        else:
            k.tap(*BACK, settle=0.3)
        k.wait_screen("post", 5)
    elif kind == 2:
        k.tap(*tk.LIKE, settle=0.3)
        k.wait_screen("liked", 5)
        k.wait_screen("post", 5)
    else:
        k.tap(*tk.SHARE, settle=0.3)
        k.wait_screen("share", 5)
        k.tap(*tk.DONE, settle=0.3)
        k.wait_screen("post", 5)
    k.tap(*BACK, settle=0.3)
    k.wait_screen("attract", 5)


def soak(c, sessions, renderer):
    p = tp.with_printer(c)
    x = tk.Xvfb()
    c.cleanup.append(x.stop)
    x.env["SDL_RENDER_DRIVER"] = renderer
    k = tk.Kiosk(c, x, p.uri, "idle_timeout = 600\n")
    c.cleanup.append(k.stop)
    t0 = time.monotonic()
    anon, total = memory_mib(k.proc.pid)
    rss = [anon]
    print(f"soak: {renderer} renderer; before the first visit: {anon:.1f} MiB anonymous, "
          f"{total:.1f} MiB in all", flush=True)
    for n in range(1, sessions + 1):
        visit(k, n)
        anon, total = memory_mib(k.proc.pid)
        rss.append(anon)
        if n % 10 == 0 or n == sessions:
            print(f"soak: after {n} visits: {anon:.1f} MiB anonymous, {total:.1f} MiB in all "
                  f"({time.monotonic() - t0:.0f} s)", flush=True)
    half = rss[len(rss) // 2]
    print(f"soak: {sessions} visits in {time.monotonic() - t0:.0f} s; anonymous resident "
          f"memory {rss[0]:.1f} MiB at start, {half:.1f} MiB at half, {rss[-1]:.1f} MiB at the "
          f"end, {max(rss):.1f} MiB at most")
    tp.check(max(rss) <= LIMIT_MIB, f"anonymous resident memory reached {max(rss):.1f} MiB, "
                                    f"over {LIMIT_MIB} MiB")
    tp.check(rss[-1] - half <= GROWTH_MIB,
             f"anonymous resident memory grew {rss[-1] - half:.1f} MiB over the second half of "
             f"the visits ({half:.1f} -> {rss[-1]:.1f} MiB): more than {GROWTH_MIB} MiB")
    printed = len(p.printed())
    tp.check(printed == sessions // 5, f"expected {sessions // 5} cards printed, got {printed}")


def main():
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    renderer = sys.argv[2] if len(sys.argv) > 2 else "software"
    return tk.run("soak", lambda c: soak(c, sessions, renderer))


if __name__ == "__main__":
    sys.exit(main())
