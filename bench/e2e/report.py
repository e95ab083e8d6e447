"""The table of `make bench`: the rows of bench/e2e/e2e.py and
bench/stages.sh (one TSV), printed aligned and written as Markdown with the
machine they were measured on.

    report.py ROWS.tsv [--markdown docs/benchmarks.md --command "make bench"]
"""
import argparse
import datetime
import os
import platform
import subprocess

COLUMNS = ["what", "figure", "unit", "baseline", "", "ratio", "target"]


def read_rows(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if len(cells) == 8:
                rows.append(cells)
    return rows


def machine():
    """One line on the machine: CPU model, cores, memory, kernel, OS."""
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as f:
        mem_gib = int(f.readline().split()[1]) / 1024 / 1024
    osname = "Linux"
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    osname = line.split("=", 1)[1].strip().strip('"')
    return f"{model}, {os.cpu_count()} cores, {mem_gib:.0f} GiB, {osname}, Linux {platform.release()}"


def commit():
    out = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.abspath(__file__)))
    return out.stdout.strip() or "unknown"


def text_table(rows):
    lines, section = [], None
    widths = [max(len(r[1]) for r in rows), 10, 6, max(len(r[4]) for r in rows), 10, 7]
    for r in rows:
        if r[0] != section:
            section = r[0]
            lines.append(f"\n{section}")
        what, fig, unit, bname, base, ratio, target = r[1:]
        lines.append(f"  {what:<{widths[0]}} {fig:>{widths[1]}} {unit:<{widths[2]}} "
                     f"{bname:<{widths[3]}} {base:>{widths[4]}} {ratio:>{widths[5]}}  {target}")
    return "\n".join(lines)


# What follows this line in the page is kept when make bench writes it again:
# what bounds each figure, in words, with the measurements behind it.
NOTES_MARK = "<!-- notes: kept when make bench writes this page again; the tables above are not -->"


def kept_notes(path):
    """The page's notes from NOTES_MARK on, or "" when it has none."""
    try:
        with open(path, encoding="utf-8") as f:
            page = f.read()
    except FileNotFoundError:
        return ""
    at = page.find(NOTES_MARK)
    return page[at:] if at >= 0 else ""


def markdown(rows, command, notes=""):
    out = ["# Benchmarks", "",
           "Written by `" + command + "` (bench/e2e/run.sh); the tables are replaced by each run, the notes at "
           "the end are kept.", "",
           f"- Measured: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit()}",
           f"- Machine: {machine()}",
           f"- Load average at the end: {open('/proc/loadavg', encoding='utf-8').read().split()[:3]}", "",
           "Each figure sits beside a baseline measured in the same run; the ratio is figure / baseline.",
           "What each row means is in [bench/e2e/README.md](../bench/e2e/README.md).", ""]
    section = None
    for r in rows:
        if r[0] != section:
            section = r[0]
            out += ["", f"## {section}", "", "| what | figure | unit | baseline | value | ratio | target |",
                    "| --- | ---: | --- | --- | ---: | ---: | --- |"]
        out.append("| " + " | ".join(c.replace("|", "/").strip() for c in r[1:]) + " |")
    page = "\n".join(out) + "\n"
    return page + ("\n" + notes if notes else "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows")
    ap.add_argument("--markdown")
    ap.add_argument("--command", default="make bench")
    a = ap.parse_args()
    rows = read_rows(a.rows)
    if not rows:
        raise SystemExit(f"{a.rows}: no rows")
    print(f"machine: {machine()}")
    print(text_table(rows))
    if a.markdown:
        # The page is made before the file is opened: opened, it would make the tree "dirty" for commit().
        page = markdown(rows, a.command, kept_notes(a.markdown))
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write(page)
        print(f"\nwritten to {a.markdown}")


if __name__ == "__main__":
    main()
