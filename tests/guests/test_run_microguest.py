#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Unit tests of run-microguest's expect keys for devices QEMU adds
(qemu-args, disk, host-fetch, disk-expect) and of --native: parse_expect,
judge, the QEMU command lines, which failures earn a second boot, and a
whole run against a fake QEMU that serves HTTP on the forwarded port and
writes the disk image."""
import http.server
import importlib.machinery
import importlib.util
import os
import re
import socket
import sys
import tempfile
import textwrap
import threading
import types
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def load_runner():
    path = os.path.join(HERE, "run-microguest")
    loader = importlib.machinery.SourceFileLoader("run_microguest", path)
    spec = importlib.util.spec_from_loader("run_microguest", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


rm = load_runner()

NET_EXPECT = """\
guest: vmlinux [domid=0 hw mem=256M vcpus=1] console=hvc0 earlyprintk=xen loglevel=4
guest: t.cpio [ramdisk]
qemu-args: -netdev user,id=n0,hostfwd=tcp:127.0.0.1:{port}-:80
qemu-args: -device virtio-net-pci,netdev=n0
host-fetch: ready:\\shttpd /cgi-bin/token token-[0-9]+ here
disk: 16M
qemu-args: -drive 'file={disk},if=none,format=raw,id=d0'
disk-expect: 0x100000 pattern one
disk-expect: 8 two
expect-re: Test result: SUCCESS
expect: (XEN) d0 shutdown: poweroff
exit: 33
"""

# A stand-in for qemu-system-x86_64: serves the page on the hostfwd port,
# writes the disk image, prints serial lines, exits like the hypervisor.
FAKE_QEMU = r"""#!/usr/bin/env python3
import http.server, json, re, socket, sys, threading, time
argv = " ".join(sys.argv)
port = int(re.search(r"hostfwd=tcp:127\.0\.0\.1:(\d+)-", argv).group(1))
disk = re.search(r"file=([^,]+),", argv).group(1)
def qmp(path):  # QEMU's QMP, as much as "info registers" needs
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(path)
    srv.listen(1)
    while True:
        f = srv.accept()[0].makefile("rw")
        f.write(json.dumps({"QMP": {}}) + "\n"); f.flush()
        for line in f:
            cmd = json.loads(line)
            regs = ("RAX=0 RBX=0\nRIP=ffff82d040201234 RFL=00000002 [-------] CPL=0 II=0 A20=1 "
                    "SMM=0 HLT=0\nCR0=80050033 CR2=0 CR3=0000000000abc000 CR4=000006a0\n")
            lapic = ("LVT0\t 0x00008700\nTimer\t DCR=0x0 (divide by 2) initial_count = 0 "
                     "current_count = 0\nISR\t 240\nIRR\t (none)\n")
            line = cmd.get("arguments", {}).get("command-line", "")
            ret = {} if cmd["execute"] != "human-monitor-command" else (
                lapic if line == "info lapic" else regs)
            f.write(json.dumps({"return": ret}) + "\n"); f.flush()
threading.Thread(target=qmp, daemon=True,
                 args=(re.search(r"-qmp unix:([^,]+),", argv).group(1),)).start()
class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"token-42 here\n" if self.path == "/cgi-bin/token" else b"nope"
        self.send_response(200 if body != b"nope" else 404)
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
print("booting", flush=True)
time.sleep(0.3)
srv = http.server.HTTPServer(("127.0.0.1", port), Page)
threading.Thread(target=srv.serve_forever, daemon=True).start()
print("(d0) xenon-e2e: ready: httpd", flush=True)
with open(disk, "r+b") as f:
    f.seek(0x100000); f.write(b"pattern one")
    f.seek(8); f.write(b"two")
time.sleep(float(sys.argv[-1]) if sys.argv[-1].replace(".", "").isdigit() else 1.5)
print("(d0) xenon-e2e: Test result: SUCCESS", flush=True)
print("(XEN) d0 shutdown: poweroff", flush=True)
sys.exit(33)
"""


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def expect(self, text, name="t"):
        os.makedirs(os.path.join(self.dir, name), exist_ok=True)
        path = os.path.join(self.dir, name, "expect")
        with open(path, "w") as f:
            f.write(textwrap.dedent(text))
        return rm.parse_expect(name, path)

    def parse_fails(self, text, message):
        with self.assertRaises(SystemExit) as cm:
            self.expect(text)
        self.assertIn(message, str(cm.exception))


class ParseTest(Base):
    def test_new_keys(self):
        e = self.expect(NET_EXPECT)
        self.assertEqual(len(e.qemu_args), 3)
        self.assertEqual(e.disk_size, 16 << 20)
        self.assertEqual(e.host_fetch, [("ready:\\shttpd", "/cgi-bin/token", "token-[0-9]+ here")])
        self.assertEqual(e.disk_expect, [(0x100000, "pattern one"), (8, "two")])

    def test_sizes(self):
        for text, size in (("512", 512), ("4K", 4096), ("16M", 16 << 20), ("1G", 1 << 30), ("2MiB", 2 << 20)):
            self.assertEqual(rm.parse_size(text, "x"), size)
        for bad in ("", "0", "16Q", "-1M", "M"):
            with self.assertRaises(SystemExit):
                rm.parse_size(bad, "x")

    def test_errors(self):
        self.parse_fails("host-fetch: ready /x\nqemu-args: {port}\n", "host-fetch: TRIGGER")
        self.parse_fails("host-fetch: ready x body\nqemu-args: {port}\n", "host-fetch: TRIGGER")
        self.parse_fails("host-fetch: ready( /x body\nqemu-args: {port}\n", "bad regex")
        self.parse_fails("host-fetch: ready /x body\n", "needs {port}")
        self.parse_fails("disk-expect: 0 text\n", "need 'disk: SIZE'")
        self.parse_fails("qemu-args: -drive file={disk}\n", "need 'disk: SIZE'")
        self.parse_fails("disk: 1M\ndisk-expect: zero text\n", "disk-expect: OFFSET TEXT")
        self.parse_fails("disk: 1M\ndisk-expect: 5\n", "disk-expect: OFFSET TEXT")
        self.parse_fails("qemu-args: -append 'unterminated\n", "qemu-args:")
        self.parse_fails("disk: big\n", "disk: SIZE")


class JudgeTest(Base):
    LOG = "(d0) xenon-e2e: Test result: SUCCESS\n(XEN) d0 shutdown: poweroff\n"

    def disk_image(self, content):
        path = os.path.join(self.dir, "disk.img")
        with open(path, "wb") as f:
            f.truncate(16 << 20)
            for offset, data in content:
                f.seek(offset)
                f.write(data)
        return path

    def test_fetch_results(self):
        e = self.expect(NET_EXPECT)
        self.assertEqual(rm.judge(e, self.LOG, 33, False), ("pass", []))  # not checked
        self.assertEqual(rm.judge(e, self.LOG, 33, False, fetches=[(True, "ok")])[0], "pass")
        v, p = rm.judge(e, self.LOG, 33, False, fetches=[None])
        self.assertEqual(v, "fail")
        self.assertIn("no serial line matched ready:\\shttpd", p[0])
        v, p = rm.judge(e, self.LOG, 33, False, fetches=[(False, "HTTP 404")])
        self.assertEqual((v, p), ("fail", ["host-fetch /cgi-bin/token: HTTP 404"]))

    def test_disk_expect(self):
        e = self.expect(NET_EXPECT)
        good = self.disk_image([(0x100000, b"pattern one"), (8, b"two")])
        self.assertEqual(rm.judge(e, self.LOG, 33, False, disk=good), ("pass", []))
        bad = self.disk_image([(0x100000, b"pattern 1ne")])
        v, p = rm.judge(e, self.LOG, 33, False, disk=bad)
        self.assertEqual(v, "fail")
        self.assertEqual(len(p), 2)
        self.assertIn("at byte 1048576 the image holds b'pattern 1ne'", p[0])
        self.assertIn("at byte 8 the image holds 3 zero bytes, not 'two'", p[1])

    def test_disk_shorter_than_offset(self):
        e = self.expect("disk: 1K\ndisk-expect: 4096 past the end\n")
        path = os.path.join(self.dir, "small.img")
        with open(path, "wb") as f:
            f.truncate(1024)
        v, p = rm.judge(e, "", 33, False, disk=path)
        self.assertEqual(v, "fail")
        self.assertIn("holds nothing (it ends before)", p[0])


class CommandTest(Base):
    def args(self, **kw):
        a = dict(qemu="qemu-system-x86_64", cpu="EPYC,+svm,+npt", append="console=com1 loglvl=all",
                 xenon="/x/xenon", native=None, timeout=60)
        a.update(kw)
        return types.SimpleNamespace(**a)

    def test_xenon_command(self):
        e = self.expect(NET_EXPECT)
        for f in ("vmlinux", "t.cpio"):
            open(os.path.join(self.dir, f), "w").close()
        cmd = rm.xenon_cmd(self.args(), e, self.dir, {"port": "4242", "disk": "/tmp/d,1.img"})
        self.assertNotIn("-net", cmd)  # qemu-args set up networking
        self.assertEqual(cmd[-6:], ["-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:4242-:80",
                                    "-device", "virtio-net-pci,netdev=n0",
                                    "-drive", "file=/tmp/d,1.img,if=none,format=raw,id=d0"])
        initrd = cmd[cmd.index("-initrd") + 1]
        self.assertIn("vmlinux [domid=0 hw mem=256M vcpus=1] console=hvc0", initrd)
        self.assertTrue(initrd.endswith("t.cpio [ramdisk]"))

    def test_no_network_keeps_net_none(self):
        e = self.expect("disk: 1M\nqemu-args: -drive file={disk},if=none,id=d0\n")
        open(os.path.join(self.dir, "t.elf"), "w").close()
        cmd = rm.xenon_cmd(self.args(), e, self.dir, {"port": "1", "disk": "/d"})
        i = cmd.index("-net")
        self.assertEqual(cmd[i + 1], "none")

    def test_native(self):
        e = rm.native_expectation(self.expect(NET_EXPECT))
        self.assertEqual(e.exit, 0)
        self.assertEqual(e.expect, [])
        self.assertEqual(e.expect_re, ["Test result: SUCCESS"])
        open(os.path.join(self.dir, "t.cpio"), "w").close()
        cmd = rm.native_cmd(self.args(native="/boot/vmlinuz-x"), e, self.dir, {"port": "7", "disk": "/d"})
        self.assertEqual(cmd[cmd.index("-kernel") + 1], "/boot/vmlinuz-x")
        self.assertEqual(cmd[cmd.index("-append") + 1], "console=ttyS0 loglevel=4")
        self.assertEqual(cmd[cmd.index("-initrd") + 1], os.path.join(self.dir, "t.cpio"))
        self.assertNotIn("isa-debug-exit,iobase=0xf4,iosize=0x04", cmd)
        with self.assertRaises(SystemExit):
            rm.native_expectation(self.expect("exit: 35\n"))


class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"the token-7 here\n")

    def log_message(self, *a):
        pass


class FetchTest(Base):
    def test_fetcher(self):
        srv = http.server.HTTPServer(("127.0.0.1", 0), Page)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        try:
            e = self.expect(NET_EXPECT)
            e.host_fetch.append(("other", "/x", "never"))
            f = rm.HostFetcher(e, srv.server_address[1])
            f.line("(d0) boot")
            f.line("(d0) xenon-e2e: ready: httpd on 10.0.2.15:80")
            f.line("(d0) xenon-e2e: ready: httpd again")  # each fetch once
            results = f.finish()
            self.assertTrue(results[0][0], results[0][1])
            self.assertIn("HTTP 200", results[0][1])
            self.assertIsNone(results[1])
        finally:
            srv.shutdown()
            srv.server_close()

    def test_nobody_listens(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]  # bound, not listening: refused
            e = self.expect(NET_EXPECT)
            f = rm.HostFetcher(e, port)
            rm_http_get = rm.http_get
            rm.http_get = lambda url: rm_http_get(url, tries=2, gap=0.05, timeout=2)
            try:
                f.line("ready: httpd")
                results = f.finish()
            finally:
                rm.http_get = rm_http_get
            self.assertFalse(results[0][0])
            self.assertIn(f"GET http://127.0.0.1:{port}/cgi-bin/token", results[0][1])


class EmulatorResetTest(Base):
    """Only QEMU's machine reset under multi-threaded TCG earns a second boot."""

    def test_which_failures(self):
        args = types.SimpleNamespace(native=None)
        smp2 = self.expect("smp: 2\n")
        self.assertTrue(rm.emulator_reset(args, smp2, 0))
        for status in (None, 33, 35, 37, 1):  # a timeout, the hypervisor's own exits
            self.assertFalse(rm.emulator_reset(args, smp2, status), status)
        for text in ("smp: 1\n", "smp: 2\ntcg: single\n", "smp: 2\nexit: 0\n"):
            self.assertFalse(rm.emulator_reset(args, self.expect(text), 0), text)
        self.assertFalse(rm.emulator_reset(types.SimpleNamespace(native="bz"), smp2, 0))


class RunTest(Base):
    """A whole run: stream, trigger, fetch, disk image, timeout."""

    def run_fake(self, expect, sleep="1.5"):
        qemu = os.path.join(self.dir, "fake-qemu")
        with open(qemu, "w") as f:
            f.write(FAKE_QEMU)
        os.chmod(qemu, 0o755)
        e = self.expect(expect + f"qemu-args: {sleep}\n")
        for name in ("vmlinux", "t.cpio"):
            open(os.path.join(self.dir, name), "w").close()
        args = types.SimpleNamespace(qemu=qemu, cpu="x", append="", xenon="/x", native=None,
                                     timeout=20, guest_dir=self.dir)
        return rm.boot_and_judge(args, e)

    def test_pass(self):
        log, status, verdict, problems = self.run_fake(NET_EXPECT)
        self.assertEqual((verdict, problems), ("pass", []), log)
        self.assertEqual(status, 33)

    def test_wrong_body_and_disk(self):
        text = NET_EXPECT.replace("token-[0-9]+ here", "other-token").replace("8 two", "9 two")
        log, status, verdict, problems = self.run_fake(text)
        self.assertEqual(verdict, "fail")
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("body does not match 'other-token'", problems[0])
        self.assertIn("at byte 9", problems[1])

    def test_timeout_keeps_log(self):
        text = NET_EXPECT.replace("exit: 33", "exit: 33\ntimeout: 2")
        log, status, verdict, problems = self.run_fake(text, sleep="30")
        self.assertEqual(verdict, "fail")
        self.assertIn("timed out (QEMU killed)", problems)
        self.assertIn("xenon-e2e: ready: httpd", log)  # streamed before the kill
        self.assertFalse(any(p.startswith("host-fetch") for p in problems), problems)

    def test_silence_kills_before_timeout(self):
        # Silent for 30 s after its last line: killed after 2 s of silence,
        # long before the 20 s timeout, and said so.
        text = NET_EXPECT.replace("exit: 33", "exit: 33\nsilence: 2")
        log, status, verdict, problems = self.run_fake(text, sleep="30")
        self.assertEqual(verdict, "fail")
        silent = [p for p in problems if p.startswith("silent for 2 s")]
        self.assertEqual(len(silent), 1, problems)
        self.assertNotIn("timed out (QEMU killed)", problems)
        # ...and says how hard it worked meanwhile: the stand-in slept.
        used = re.search(r"QEMU used (\d+)% of a CPU meanwhile \(QEMU killed\)$", silent[0])
        self.assertTrue(used, silent[0])
        self.assertLess(int(used.group(1)), 50)
        # ...and where its CPU was, asked over QMP before the kill.
        self.assertIn("CPU before the kill: RIP=ffff82d040201234 CPL=0 HLT=0 CR3=0000000000abc000",
                      log)
        self.assertIn("CPU before the kill: Timer\t DCR=0x0 (divide by 2) initial_count = 0", log)
        self.assertIn("CPU before the kill: ISR\t 240", log)


if __name__ == "__main__":
    unittest.main(verbosity=2)
