#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""xs-bench against two of our daemons, read as bench/xenstore/run-dom0
reads domain 0's output: the ratio table, the paired rounds' spread (the
ratio of the medians always lies inside it), each daemon's CPU table, and
run-dom0's summary of them, and the floor (xs-bench --floor) beside them. Usage: test_bench.py XS_BENCH XENSTORED"""
import contextlib
import importlib.machinery
import importlib.util
import io
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_DOM0 = os.path.join(HERE, "..", "..", "bench", "xenstore", "run-dom0")
XS_BENCH, XENSTORED = sys.argv[1:3] if len(sys.argv) >= 3 else ("", "")


def load_run_dom0():
    loader = importlib.machinery.SourceFileLoader("run_dom0", RUN_DOM0)
    spec = importlib.util.spec_from_loader("run_dom0", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


rd = load_run_dom0()


def start_daemon(sock):
    p = subprocess.Popen([XENSTORED, "--foreground", "--no-xen", "--socket", sock],
                         stderr=subprocess.DEVNULL)
    for _ in range(200):
        if os.path.exists(sock):
            return p
        time.sleep(0.05)
    p.kill()
    raise RuntimeError(f"{XENSTORED} made no socket {sock}")


class TwoDaemons(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(prefix="xs-bench-test-")
        socks = [os.path.join(cls.dir.name, n) for n in ("a", "b")]
        cls.daemons = [start_daemon(s) for s in socks]
        out = subprocess.run([XS_BENCH, "--socket", socks[0], "--socket", socks[1],
                              "--nodes", "300", "--seconds", "0.2", "--rounds", "3",
                              "--metrics", "reads,writes", "--clients", "1,8", "--floor"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True, timeout=120, check=True).stdout
        cls.lines = out.splitlines()

    @classmethod
    def tearDownClass(cls):
        for p in cls.daemons:
            p.terminate()
            p.wait()
        cls.dir.cleanup()

    def test_ratios_of_what_was_measured(self):
        r = rd.ratios(self.lines)
        self.assertEqual(sorted(r), sorted(rd.METRICS))
        for m in ("reads", "writes"):
            self.assertGreater(r[m][0], 0, m)
            self.assertGreater(r[m][1], 0, m)
            self.assertEqual(r[m][2], 0, m)  # 64 clients not asked for
        self.assertEqual(r["directories"], [0, 0, 0])

    def test_median_ratio_inside_the_rounds_spread(self):
        r, s = rd.ratios(self.lines), rd.spreads(self.lines)
        self.assertEqual(sorted(s), sorted(rd.METRICS))
        for m in ("reads", "writes"):
            for c in range(2):
                lo, hi = s[m][c]
                # Two-decimal rounding of all three figures: allow one unit.
                self.assertTrue(0 < lo <= hi, (m, c, lo, hi))
                self.assertTrue(lo - 0.01 <= r[m][c] <= hi + 0.01, (m, c, lo, r[m][c], hi))

    def test_cpu_table_per_daemon(self):
        cpu = rd.daemon_cpu(self.lines)
        self.assertEqual(len(cpu), 2)
        for table in cpu:
            self.assertGreater(table["reads"][0], 0)
            self.assertEqual(table["transactions"], [0, 0, 0])

    def test_floor_over_the_second_daemon(self):
        # The floor answers reads and writes (watch events it cannot), and
        # its tables are not taken for a daemon's.
        f = rd.floors(self.lines)
        self.assertEqual(sorted(f), sorted(rd.METRICS))
        for m in ("reads", "writes"):
            self.assertGreater(f[m][0], 0, m)
            self.assertGreater(f[m][1], 0, m)
            self.assertEqual(f[m][2], 0, m)
        self.assertEqual(f["watch events"], [0, 0, 0])
        self.assertEqual(len(rd.daemon_cpu(self.lines)), 2)

    def test_summary_counts_figures_and_rounds(self):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            self.assertEqual(rd.summary(self.lines), 0)
        out = buf.getvalue().splitlines()
        self.assertTrue(any(l.startswith("dom0: floor / C") for l in out), out)
        self.assertTrue(any(re.match(r"dom0: of the \d+ figures below the target, \d+ have", l)
                            for l in out), out)
        last = out[-1]
        self.assertRegex(last, r"^dom0: \d of 4 throughput figures measured meet the target "
                               r"\(\d in every round\)$")


class Parsing(unittest.TestCase):
    LINES = """\
ratio (first / second daemon):
  reads                    7.33           2.12           1.55
  writes                   8.24           1.89           2.16
  directories              7.42           1.54           2.10
  watch events             0.00           0.00           0.00
  transactions             0.00           0.00           0.00
  memory/node              1.24
ratio per round (first / second daemon, lowest-highest):
  rounds           1/8/64 clients
  reads               7.01-7.50      1.95-2.31      1.40-1.90
  writes              8.00-8.50      1.70-2.00      2.01-2.30
  directories         7.00-7.60      1.50-1.60      2.00-2.20
  watch events        0.00-0.00      0.00-0.00      0.00-0.00
  transactions        0.00-0.00      0.00-0.00      0.00-0.00
xs-bench exit status 0""".splitlines()

    def test_tables_end_where_the_rows_do(self):
        self.assertEqual(rd.ratios(self.LINES)["reads"], [7.33, 2.12, 1.55])
        self.assertEqual(rd.spreads(self.LINES)["reads"][2], (1.40, 1.90))

    def test_every_round_needs_the_lowest_at_target(self):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            rd.summary(self.LINES)
        out = buf.getvalue()
        self.assertIn("2.12  (1.95-2.31)", out)
        self.assertIn("1.55* (1.40-1.90)", out)
        # Met: reads 1, 8; writes 1, 64; directories 1, 64. Every round: all but reads 8.
        self.assertIn("6 of 9 throughput figures measured meet the target (5 in every round)", out)

    def test_emulator_faults_are_retried_others_not(self):
        image = (0x100000, 0x200000)
        host_state = ("(XEN) d0 crashed: #VMEXIT 0x60 (info 0 0) saved the hypervisor's own "
                      "state as vCPU 1's: an emulator fault; the exit before it: 0x7b at rip 0x1")
        self.assertEqual(rd.emulator_crash(host_state, [], image),
                         "#VMEXIT 0x60 saved the hypervisor's state as domain 0's")
        self.assertIn("hypervisor's own code", rd.emulator_crash(
            "(XEN) d0 crashed: triple fault (rip 0x11946f)", [], image))
        # Domain 0's own triple fault, or a finished run: ours to look at, not retried.
        self.assertIsNone(rd.emulator_crash("(XEN) d0 crashed: triple fault (rip 0xffffffff81000000)",
                                            [], image))
        self.assertIsNone(rd.emulator_crash(host_state + "\n" + rd.TAG + "end", [], image))
        # A wedge is retried, saying how busy QEMU was while silent.
        silent = f"xs-dom0: FAIL (silent for {rd.SILENCE} s; QEMU used 0% of a CPU meanwhile)"
        self.assertEqual(rd.emulator_crash("", [silent], image),
                         f"the machine wedged: no serial output for {rd.SILENCE} s; "
                         "QEMU used 0% of a CPU meanwhile")

    def test_one_host_thread_means_one_vcpu(self):
        # Two vCPUs taking turns on one TCG thread are no real machine.
        self.assertEqual(rd.vcpus_for("single", None), 1)
        self.assertEqual(rd.vcpus_for("multi", None), 2)
        self.assertEqual(rd.vcpus_for("single", 2), 2)  # unless asked
        self.assertEqual(rd.vcpus_for("multi", 4), 4)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
