#!/usr/bin/env python3
"""The report in a real browser: Debian's headless Chromium opens the pages of
the Gia Lai report as an official would, from files, with every network
request sent to a proxy that is not there.

Checks, for the index, a district and two commune pages: no console error,
no exception, no network request of any kind (the DevTools protocol's
Network events; the dead proxy makes any that slipped through fail); the
DOM holds the page's name with its diacritics, every gap id and the figures
of `bordercov coverage --json` (`--commune` for a commune page); a
screenshot is a PNG, not blank, and differs between two communes. Every page
parses as HTML5 without an error (html5lib, strict). Chromium's
--print-to-pdf prints each commune page on A4 (pdfinfo) in at most two
pages, and pdftotext finds on every page the commune's name with its
diacritics, the as-of date, the data source and "Trang k / N".

Run by ctest (label browser):
    check_report.py --bordercov build/bin/bordercov --workspace geodata/gia-lai.gpkg
"""
import argparse
import base64
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import unittest

import html5lib

ARGS = None
AS_OF = "2026-11-28"
# Every request goes to a proxy on a port where nothing listens (discard),
# loopback included: a page that fetched anything would fail to load it.
NO_NETWORK = ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise unittest.SkipTest("no chromium (Debian: apt install chromium)")


def chromium_flags(profile):
    return ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-features=Translate,MediaRouter,OptimizationHints",
            f"--user-data-dir={profile}"] + NO_NETWORK


class DevTools:
    """Chromium driven over the DevTools protocol on a pipe (fds 3 and 4)."""

    def __init__(self, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [chromium_binary(), "--remote-debugging-pipe", "--window-size=1100,1600"]
            + chromium_flags(profile) + ["about:blank"],
            # Python closes the child's other descriptors after preexec_fn,
            # which would close 3 and 4: keep them all (these pipes only).
            close_fds=False, preexec_fn=fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id = 0
        self.buffer = b""
        self.events = []

    def _read_message(self, timeout):
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.from_chrome], [], [], timeout)
            if not ready:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message(timeout)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, session, timeout=60):
        for i, e in enumerate(self.events):
            if e.get("method") == method and e.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            e = self._read_message(timeout)
            if e.get("method") == method and e.get("sessionId") == session:
                return e
            self.events.append(e)

    def open(self, url):
        """A new tab at url, loaded; returns its session and the events so far."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Network", "Runtime", "Log", "Page"):
            self.send(f"{domain}.enable", session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_for("Page.loadEventFired", session)
        # Let anything the page would start after load show up.
        self.send("Runtime.evaluate", {"expression": "new Promise(r => setTimeout(r, 300))",
                                       "awaitPromise": True}, session=session)
        return session

    def evaluate(self, session, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                           session=session)
        return result["result"]["value"]

    def problems(self, session):
        """Console errors, exceptions, failed loads and any request not for a file."""
        found = []
        for e in self.events:
            if e.get("sessionId") != session:
                continue
            method, p = e.get("method"), e.get("params", {})
            if method == "Network.requestWillBeSent":
                url = p["request"]["url"]
                if not url.startswith(("file:", "data:", "about:")):
                    found.append(f"network request {url}")
            elif method == "Network.loadingFailed":
                found.append(f"load failed: {p.get('errorText')}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {p['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                found.append(f"console {p['type']}: {p.get('args')}")
            elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
                found.append(f"log: {p['entry'].get('text')} {p['entry'].get('url', '')}")
        return found

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except (TimeoutError, EOFError, RuntimeError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_chrome)
        os.close(self.from_chrome)


def bordercov(*args):
    r = subprocess.run([ARGS.bordercov, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(f"bordercov {' '.join(args)}: exit {r.returncode}\n{r.stderr}")
    return r.stdout


def coverage_json(*extra):
    return json.loads(bordercov("coverage", ARGS.workspace, "--as-of", AS_OF, "--json", *extra))


class Report(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="bordercov-browser-")
        cls.dir = os.path.join(cls.tmp.name, "report")
        bordercov("report", ARGS.workspace, "--as-of", AS_OF, "-o", cls.dir)
        cls.devtools = DevTools(os.path.join(cls.tmp.name, "profile"))
        cls.sessions = {}

    @classmethod
    def tearDownClass(cls):
        cls.devtools.close()
        cls.tmp.cleanup()

    def url(self, page):
        return "file://" + os.path.join(self.dir, page)

    def load(self, page):
        """The page opened once; its session."""
        if page not in self.sessions:
            self.sessions[page] = self.devtools.open(self.url(page))
        return self.sessions[page]

    def dom(self, page):
        return self.devtools.evaluate(self.load(page), """JSON.stringify({
            text: document.body.innerText,
            title: document.querySelector('h1').textContent,
            values: [...document.querySelectorAll('[data-field]')].map(e => [e.dataset.field, e.dataset.value])})""")

    def figures(self, page):
        """The key figures' data-values: field -> number."""
        d = json.loads(self.dom(page))
        out = {}
        for field, value in d["values"]:
            out.setdefault(field, value)
        return d, out

    def check_figures(self, page, expected, fields):
        d, values = self.figures(page)
        for field in fields:
            self.assertAlmostEqual(float(values[field]), float(expected[field]), places=6,
                                   msg=f"{page}: {field}")
        return d

    def test_no_console_error_and_no_network_request(self):
        for page in ("index.html", "district-duc-co.html", "commune-IaNan.html",
                     "commune-IaPnon.html"):
            session = self.load(page)
            self.assertEqual(self.devtools.problems(session), [], page)

    def test_the_province_page_holds_the_figures_of_coverage(self):
        doc = coverage_json()
        line = doc["lines"][0]
        expected = {"border_km": line["length_km"], "uncovered_km": line["uncovered_km"],
                    "overlap_km": line["overlap_km"], "coverage_pct": line["coverage_pct"],
                    "gaps": line["gaps"], "markers": line["markers"],
                    "markers_unowned": line["markers_unowned"],
                    "households": sum(c["households"] for c in doc["communes"]),
                    "teams": sum(c["teams"] for c in doc["communes"])}
        d = self.check_figures("index.html", expected, expected.keys())
        self.assertEqual(d["title"], "Tỉnh Gia Lai")
        for gap in doc["gaps"]:
            self.assertIn(gap["gap_id"], d["text"])
        for commune in doc["communes"]:
            self.assertIn(commune["name"], d["text"])  # Ia Pnôn, Ia Mơ, ... with diacritics

    def test_a_district_page_holds_its_figures(self):
        doc = coverage_json()
        district = next(x for x in doc["districts"] if x["district"] == "Đức Cơ")
        d = self.check_figures("district-duc-co.html", district,
                               ["border_km", "uncovered_km", "overlap_km", "coverage_pct",
                                "markers", "markers_unowned", "households", "teams"])
        self.assertEqual(d["title"], "Huyện Đức Cơ")

    def test_commune_pages_hold_their_figures_and_every_gap(self):
        for commune_id in ("IaNan", "IaDom", "IaPnon"):
            doc = coverage_json("--commune", commune_id)
            commune = doc["communes"][0]
            page = f"commune-{commune_id}.html"
            d = self.check_figures(page, commune,
                                   ["border_km", "covered_km", "uncovered_km", "overlap_km",
                                    "coverage_pct", "markers", "markers_unowned", "households",
                                    "teams"])
            self.assertEqual(d["title"], f"Xã {commune['name']}")
            gap_ids = [v for f, v in d["values"] if f == "gap_id"]
            self.assertEqual(gap_ids, [g["gap_id"] for g in doc["gaps"]], page)
            for gap in doc["gaps"]:
                # The nearest party of the JSON is the first one the page lists.
                if gap["nearest_party_name"]:
                    self.assertIn(gap["nearest_party_name"], d["text"])
            unowned = [v for f, v in d["values"] if f == "marker_id"]
            self.assertEqual(unowned, [m["marker_id"] for m in doc["markers"]
                                       if m["status"] == "unowned"], page)

    def screenshot(self, page):
        session = self.load(page)
        # Only the tab in front is painted.
        self.devtools.send("Page.bringToFront", session=session)
        data = self.devtools.send("Page.captureScreenshot", {"format": "png"},
                                  session=session, timeout=30)["data"]
        return base64.b64decode(data)

    def test_screenshots_are_pictures_that_differ_between_communes(self):
        shots = {p: self.screenshot(p) for p in ("index.html", "district-duc-co.html",
                                                 "commune-IaNan.html", "commune-IaPnon.html")}
        for page, png in shots.items():
            self.assertTrue(png.startswith(b"\x89PNG"), page)
            self.assertGreater(len(png), 20000, f"{page}: a blank page compresses to little")
        self.assertNotEqual(shots["commune-IaNan.html"], shots["commune-IaPnon.html"])

    def test_every_page_is_valid_html5(self):
        for page in sorted(os.listdir(self.dir)):
            parser = html5lib.HTMLParser(strict=True)
            with open(os.path.join(self.dir, page), "rb") as f:
                parser.parse(f)  # raises on the first parse error
            self.assertEqual(parser.errors, [], page)

    def test_commune_pages_print_on_a4_with_date_source_and_page_numbers(self):
        profile = os.path.join(self.tmp.name, "print-profile")
        for commune_id, name in (("IaNan", "Xã Ia Nan"), ("IaPnon", "Xã Ia Pnôn"),
                                 ("IaMo", "Xã Ia Mơ")):
            pdf = os.path.join(self.tmp.name, f"{commune_id}.pdf")
            subprocess.run([chromium_binary(), *chromium_flags(profile), "--no-pdf-header-footer",
                            f"--print-to-pdf={pdf}", self.url(f"commune-{commune_id}.html")],
                           check=True, capture_output=True, timeout=120)
            info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True,
                                  text=True).stdout
            pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
            self.assertRegex(info, r"Page size:\s+59\d\.\d+ x 84\d\.\d+ pts \(A4\)")
            self.assertIn(pages, (1, 2), f"{commune_id}: a commune fits on two A4 pages")
            for k in range(1, pages + 1):
                text = subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), "-layout", pdf,
                                       "-"], check=True, capture_output=True, text=True).stdout
                self.assertIn(f"Trang {k} / {pages}", text, f"{commune_id} page {k}")
                self.assertIn("Tính đến ngày 28/11/2026", text)
                self.assertIn("Nguồn dữ liệu: gia-lai.gpkg", text)
                self.assertIn(name, text, f"{commune_id} page {k}")

    def test_the_whole_report_prints_at_once_each_page_on_a_new_sheet(self):
        profile = os.path.join(self.tmp.name, "print-profile")
        pdf = os.path.join(self.tmp.name, "print.pdf")
        subprocess.run([chromium_binary(), *chromium_flags(profile), "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", self.url("print.html")],
                       check=True, capture_output=True, timeout=180)
        info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        articles = len([f for f in os.listdir(self.dir) if f != "print.html"])
        self.assertGreaterEqual(pages, articles)
        first_pages = {}
        for k in range(1, pages + 1):
            text = subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), "-layout", pdf, "-"],
                                  check=True, capture_output=True, text=True).stdout
            self.assertIn(f"Trang {k} / {pages}", text)
            self.assertIn("Tính đến ngày 28/11/2026", text)
            # A page that starts an article has its heading under the subheading.
            heading = re.search(r"TỰ QUẢN ĐƯỜNG BIÊN GIỚI, MỐC QUỐC GIỚI\s*\n\s*(.+?)\s*\n", text)
            if heading:
                first_pages[heading.group(1).strip()] = k
        doc = coverage_json()
        for commune in doc["communes"]:
            self.assertIn(f"Xã {commune['name']}", first_pages, sorted(first_pages))
        self.assertEqual(len(first_pages), articles)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--bordercov", required=True)
    parser.add_argument("--workspace", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
