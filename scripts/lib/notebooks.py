#!/usr/bin/env python3
"""Runs the console blocks of the Markdown notebooks and compares their output.

A console block is a fenced block opened with ```console. In it, a line starting with "$ " is
a command (a line ending in a backslash continues on the next line); the lines after it, up
to the next command or the end of the block, are its expected output (stdout and stderr
together, as a terminal shows them). Two markers may appear in expected output:

  ...          on a line of its own: matches any number of lines (zero or more)
  [exit N]     as the last line: the command must exit with status N (default 0)

Each notebook runs in a new temporary directory in which `datasets` and `notebooks-md` are
links to the repository's folders, so commands name files as a reader in the repository root
would (`datasets/sleepstudy.csv`) and whatever they write stays out of the repository. Commands run
in order with `bash -c`, with the directory of the `traj` binary first on PATH.

Usage: notebooks.py --traj PATH [--update] NOTEBOOK.md ...
  (default) check: print a diff for every block whose output differs; exit 1 if any does
  --update: rewrite the expected output in place (written atomically)
"""

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE_OPEN = re.compile(r"^```console\s*$")
FENCE_CLOSE = re.compile(r"^```\s*$")
EXIT_LINE = re.compile(r"^\[exit (\d+)\]$")
COMMAND_TIMEOUT_SECONDS = 600


class Command:
    """One `$ command` of a console block, with where its expected output sits."""

    def __init__(self, text, line, output_start, output_end, expected):
        self.text = text  # the shell command, continuation lines joined with newlines
        self.line = line  # 1-based line of the `$ ` line in the notebook
        self.output_start = output_start  # 0-based index of the first expected-output line
        self.output_end = output_end  # one past the last
        self.expected = expected  # expected output lines (markers included)


def parse(lines):
    """The commands of every console block, in order."""
    commands = []
    i = 0
    while i < len(lines):
        if not FENCE_OPEN.match(lines[i]):
            i += 1
            continue
        i += 1
        current = None
        while i < len(lines) and not FENCE_CLOSE.match(lines[i]):
            line = lines[i]
            if line.startswith("$ "):
                if current is not None:
                    current.output_end = i
                    current.expected = lines[current.output_start:i]
                    commands.append(current)
                start_line = i + 1
                parts = [line[2:]]
                while parts[-1].endswith("\\") and i + 1 < len(lines):
                    i += 1
                    parts.append(lines[i])
                current = Command("\n".join(parts), start_line, i + 1, i + 1, [])
            elif current is None and line.strip():
                raise ValueError(f"line {i + 1}: output before any '$ ' command")
            i += 1
        if i >= len(lines):
            raise ValueError("a ```console block is not closed")
        if current is not None:
            current.output_end = i
            current.expected = lines[current.output_start:i]
            commands.append(current)
        i += 1
    return commands


def matches(expected, actual):
    """Whether actual lines match expected lines, `...` matching any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


def run(command, directory, traj_dir):
    env = dict(os.environ)
    env["PATH"] = traj_dir + os.pathsep + env.get("PATH", "")
    env["LC_ALL"] = "C.UTF-8"
    env.pop("TRAJ_THREADS", None)
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command.text],
        cwd=directory,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=COMMAND_TIMEOUT_SECONDS,
    )
    text = result.stdout.decode("utf-8", errors="replace")
    # Trailing blanks (spaces, empty last lines) are not visible in a Markdown block and
    # editors strip them.
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return lines, result.returncode


def process(path, traj, update, repository):
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    try:
        commands = parse(lines)
    except ValueError as error:
        print(f"{path}: {error}", file=sys.stderr)
        return False
    if not commands:
        print(f"{path}: no console blocks", file=sys.stderr)
        return False
    directory = tempfile.mkdtemp(prefix="traj-notebook.")
    ok = True
    replacements = []
    try:
        for shared in ("datasets", "notebooks-md"):
            os.symlink(os.path.join(repository, shared), os.path.join(directory, shared))
        for command in commands:
            actual, status = run(command, directory, os.path.dirname(traj))
            expected = list(command.expected)
            while expected and expected[-1] == "":
                expected.pop()
            expected_status = 0
            if expected and EXIT_LINE.match(expected[-1]):
                expected_status = int(EXIT_LINE.match(expected[-1]).group(1))
                expected = expected[:-1]
            shown = actual + ([f"[exit {status}]"] if status != 0 else [])
            if update:
                keep_blank = command.expected and command.expected[-1] == ""
                replacements.append((command, shown + ([""] if keep_blank else [])))
                continue
            if status == expected_status and matches([l.rstrip() for l in expected], actual):
                continue
            ok = False
            print(f"{path}:{command.line}: output differs for: $ {command.text}")
            want = command.expected[:]
            while want and want[-1] == "":
                want.pop()
            for diff_line in difflib.unified_diff(
                want, shown, "expected", "actual", lineterm="", n=2
            ):
                print("    " + diff_line)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    if update and replacements:
        for command, new in reversed(replacements):
            lines[command.output_start:command.output_end] = new
        temporary = path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
        os.replace(temporary, path)
        print(f"{path}: {len(commands)} command(s) updated")
    elif ok:
        print(f"{path}: {len(commands)} command(s) ok")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--traj", required=True, help="path of the traj binary")
    parser.add_argument("--update", action="store_true", help="rewrite expected outputs")
    parser.add_argument("notebooks", nargs="+")
    arguments = parser.parse_args()
    traj = os.path.abspath(arguments.traj)
    if not os.access(traj, os.X_OK):
        print(f"notebooks: no traj binary at {traj}", file=sys.stderr)
        return 1
    repository = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    results = [process(p, traj, arguments.update, repository) for p in arguments.notebooks]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
