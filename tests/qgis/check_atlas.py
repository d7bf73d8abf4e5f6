#!/usr/bin/python3
"""check_atlas.py: the print layout of bordercov's QGIS project ("Commune
sheets", one page per commune), exported by QGIS's own exporter in a real,
headless QGIS, and read back from the PDF with poppler's pdftotext.

The ctest labelled "qgis" runs it (tools/run-tests under BORDERCOV_QGIS=1).
By hand:

    /usr/bin/python3 tests/qgis/check_atlas.py --bordercov build/bin/bordercov \\
        --workspace geodata/gia-lai.gpkg

It runs `bordercov coverage --as-of 2026-11-28 --qgis-project` on the Gia
Lai sample (GeoPackage, GeoPackage in UTM 48N, Shapefile; English and
--lang vi), opens each project with QgsProject, finds the layout and
exports its atlas to one PDF with QgsLayoutExporter. Then: one page per
commune; each page's title names its commune (diacritics intact), in the
order of district, then name; the text inside the gaps table's frame on
each page holds exactly the ids of that commune's gaps; a page rendered to
an image shows the map (red gap, green border); the project still exports
when moved with its data to another folder; no absolute path in the layout.

The expected communes, their order and the commune of every gap are read
from the written layers with GDAL (osgeo.ogr) and sorted here, never taken
from bordercov's printout. Needs python3-qgis, python3-gdal and
poppler-utils (tools/install-deps).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import unittest
import xml.etree.ElementTree as ET

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_runtime = tempfile.mkdtemp(prefix="qgis-runtime-")
os.chmod(_runtime, 0o700)
os.environ.setdefault("XDG_RUNTIME_DIR", _runtime)

from osgeo import ogr  # noqa: E402
from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemPicture,
    QgsProject,
    QgsRenderContext,
    QgsUnitTypes,
)
from qgis.PyQt.QtGui import QColor, QFont, QFontInfo, QFontMetrics, QImage  # noqa: E402

AS_OF = "2026-11-28"
COMMUNES = 7  # geodata/README.md: the seven border communes of the sample
ARGS = None
OUT = None


def bordercov(*args):
    run = subprocess.run([ARGS.bordercov, "coverage", ARGS.workspace, "--as-of", AS_OF, *args],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"bordercov {' '.join(args)} failed ({run.returncode}):\n{run.stderr}")


def fold(text):
    """Lower case without diacritics, đ as d: how planners sort names."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn").lower()


def ogr_open(data, layer):
    """The dataset (kept open by the caller) and a layer of an output."""
    if os.path.isdir(data):
        name = os.path.join(data, layer + ".shp")
        ds = ogr.Open(name if os.path.exists(name) else os.path.join(data, layer + ".dbf"))
        return ds, ds.GetLayer(0)
    ds = ogr.Open(data)
    return ds, ds.GetLayerByName(layer)


def expected(data):
    """The communes in page order [(commune_id, name, district)] and the
    commune of every gap {gap_id: commune_id}, as GDAL reads the layers."""
    ds, layer = ogr_open(data, "commune_summary")
    communes = [(f.GetField("commune_id"), f.GetField("name"), f.GetField("district")) for f in layer]
    communes.sort(key=lambda c: (fold(c[2]), fold(c[1])))
    ds, layer = ogr_open(data, "gaps")
    gaps = {f.GetField("gap_id"): f.GetField("commune_id") for f in layer}
    return communes, gaps


def pdf_pages(pdf):
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_text(pdf, page, box=None):
    """The text of a page, or of a box of it (x, y, width, height in points)."""
    crop = []
    if box:
        crop = ["-r", "72", *[a for k, v in zip(("-x", "-y", "-W", "-H"), box) for a in (k, str(round(v)))]]
    text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), *crop, pdf, "-"],
                          check=True, capture_output=True, text=True).stdout
    return unicodedata.normalize("NFKC", text)  # "ﬁ" as QGIS's text engine writes it: "fi"


def has_word(text, word):
    return re.search(r"(?<![\w/])" + re.escape(word) + r"(?![\w/])", text) is not None


def count_near(image, rgb, tolerance=60):
    n = 0
    for x in range(0, image.width(), 3):
        for y in range(0, image.height(), 3):
            c = QColor(image.pixel(x, y))
            if abs(c.red() - rgb[0]) + abs(c.green() - rgb[1]) + abs(c.blue() - rgb[2]) <= tolerance:
                n += 1
    return n


class CommuneSheets(unittest.TestCase):
    """Each output written with a project, its atlas exported to one PDF."""

    @classmethod
    def setUpClass(cls):
        cls.outputs = {}
        for name, data, project, extra in [
            ("en", "gia-lai.gpkg", "gia-lai.qgs", []),
            ("vi", "vi/gia-lai.gpkg", "vi/gia-lai.qgs", ["--lang", "vi"]),
            ("utm", "data/utm.gpkg", "maps/utm.qgs", ["--t-srs", "EPSG:32648"]),
            ("shapefile", "shapefile", "shapefile.qgs", ["-f", "ESRI Shapefile"]),
        ]:
            data, project = os.path.join(OUT, data), os.path.join(OUT, project)
            for folder in {os.path.dirname(data), os.path.dirname(project)}:
                os.makedirs(folder, exist_ok=True)
            bordercov("-o", data, "--qgis-project", project, *extra)
            cls.outputs[name] = dict(data=data, project=project)

    def export(self, project_path, layout_name="Commune sheets"):
        """Opens the project, exports the layout's atlas to one PDF beside it;
        returns the PDF and the boxes of the layout's items (points)."""
        project = QgsProject.instance()
        project.clear()
        self.assertTrue(project.read(project_path), project.error())
        layout = project.layoutManager().layoutByName(layout_name)
        self.assertIsNotNone(layout, [l.name() for l in project.layoutManager().layouts()])
        atlas = layout.atlas()
        self.assertTrue(atlas.enabled())
        self.assertEqual(atlas.coverageLayer().id(), "bordercov_commune_summary")
        page = layout.pageCollection().page(0).pageSize()
        self.assertEqual((round(page.width()), round(page.height())), (297, 210))  # A4 landscape
        for item in layout.items():
            if isinstance(item, QgsLayoutItemLabel):
                self.assertEqual(item.font().family(), "DejaVu Sans")
            if isinstance(item, QgsLayoutItemPicture):
                self.assertTrue(os.path.exists(item.evaluatedPath()), item.evaluatedPath())
        pdf = os.path.splitext(project_path)[0] + ".pdf"
        settings = QgsLayoutExporter.PdfExportSettings()
        settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText
        result, error = QgsLayoutExporter.exportToPdf(atlas, pdf, settings)
        self.assertEqual(result, QgsLayoutExporter.Success, error)
        boxes = {}
        for item_id in ("title", "gaps table frame", "key figures"):
            item = layout.itemById(item_id)
            self.assertIsNotNone(item, item_id)
            pos = layout.convertFromLayoutUnits(item.pos(), QgsUnitTypes.LayoutPoints)
            size = layout.convertFromLayoutUnits(item.rect().size(), QgsUnitTypes.LayoutPoints)
            boxes[item_id] = (pos.x(), pos.y(), size.width(), size.height())
        project.clear()
        return pdf, boxes

    def check_pages(self, output, layout_name="Commune sheets"):
        """One page per commune in order; each title names its commune; each
        table holds that commune's gaps and no other's."""
        out = self.outputs[output]
        communes, gaps = expected(out["data"])
        self.assertEqual(len(communes), COMMUNES)
        pdf, boxes = self.export(out["project"], layout_name)
        self.assertEqual(pdf_pages(pdf), len(communes))
        for page, (commune_id, name, district) in enumerate(communes, start=1):
            with self.subTest(output=output, page=page, commune=name):
                title = pdf_text(pdf, page, boxes["title"])
                self.assertTrue(has_word(title, name), title)
                self.assertTrue(has_word(title, district), title)
                table = pdf_text(pdf, page, boxes["gaps table frame"])
                shown = {g for g in gaps if has_word(table, g)}
                self.assertEqual(shown, {g for g, c in gaps.items() if c == commune_id}, table)
        return pdf, boxes, communes

    def test_one_page_per_commune_with_its_gaps(self):
        pdf, boxes, communes = self.check_pages("en")
        text = pdf_text(pdf, 1)
        self.assertIn("Key figures", text)
        self.assertIn("Legend", text)
        self.assertIn(f"As of {AS_OF}", text)
        self.assertIn("Data source: gia-lai.gpkg", text)
        self.assertIn(f"Page 1 of {len(communes)}", text)
        self.assertIn("Gia Lai province", pdf_text(pdf, 1, boxes["title"]))
        self.assertIn("Border (km)", pdf_text(pdf, 1, boxes["key figures"]))

    def test_vietnamese_words_and_diacritics(self):
        pdf, boxes, communes = self.check_pages("vi", "Phiếu xã")
        for page, (commune_id, name, district) in enumerate(communes, start=1):
            title = pdf_text(pdf, page, boxes["title"])
            self.assertIn(f"Xã {name}, Huyện {district}, Tỉnh Gia Lai", title)
        text = pdf_text(pdf, 1)
        for heading in ("Số liệu chính", "Chú giải", "Các đoạn trống và hộ/tổ gần nhất có thể nhận",
                        "Tính đến ngày 28/11/2026", "Nguồn dữ liệu: gia-lai.gpkg",
                        f"Trang 1 / {len(communes)}", "Biên giới (km)", "dưới 80 %",
                        "chưa có người nhận"):
            self.assertIn(heading, text)
        # A commune without a gap says so.
        for page, (commune_id, name, district) in enumerate(communes, start=1):
            if not any(c == commune_id for c in expected(self.outputs["vi"]["data"])[1].values()):
                self.assertIn("Không có đoạn trống", pdf_text(pdf, page))

    def test_utm_project_in_another_folder(self):
        self.check_pages("utm")

    def test_shapefile_field_names(self):
        self.check_pages("shapefile")

    def test_page_rendered_shows_the_map(self):
        pdf, boxes = self.export(self.outputs["en"]["project"])
        communes, gaps = expected(self.outputs["en"]["data"])
        # The first page whose commune has a gap: red on it, and green border.
        page = next(p for p, c in enumerate(communes, start=1) if c[0] in gaps.values())
        png = os.path.join(OUT, "page")
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(page), "-l", str(page),
                        "-singlefile", pdf, png], check=True)
        image = QImage(png + ".png")
        self.assertFalse(image.isNull())
        white = count_near(image, (255, 255, 255), 30)
        total = len(range(0, image.width(), 3)) * len(range(0, image.height(), 3))
        self.assertLess(white, 0.8 * total, "the page is (nearly) blank")
        self.assertGreater(count_near(image, (215, 25, 28)), 5, "no red gap drawn")
        self.assertGreater(count_near(image, (26, 150, 65)), 20, "no green covered border drawn")

    def test_moved_with_its_data(self):
        out = self.outputs["en"]
        moved = tempfile.mkdtemp(prefix="atlas-moved-", dir=OUT)
        shutil.copy(out["data"], moved)
        shutil.copy(out["project"], moved)
        project = os.path.join(moved, os.path.basename(out["project"]))
        pdf, _ = self.export(project)
        self.assertEqual(pdf_pages(pdf), COMMUNES)
        # Nothing in the layout names a place on this machine.
        for layout in ET.parse(project).getroot().iter("Layout"):
            for element in layout.iter():
                for key, value in element.attrib.items():
                    self.assertFalse(value.startswith("/") or OUT in value, (element.tag, key, value))

    def test_font_has_vietnamese(self):
        font = QFont("DejaVu Sans")
        self.assertEqual(QFontInfo(font).family(), "DejaVu Sans")
        metrics = QFontMetrics(font)
        for letter in "ĐđƠơƯưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ":
            self.assertTrue(metrics.inFontUcs4(ord(letter)), letter)
        pdf, _ = self.export(self.outputs["vi"]["project"], "Phiếu xã")
        fonts = subprocess.run(["pdffonts", pdf], check=True, capture_output=True, text=True).stdout
        self.assertIn("DejaVuSans", fonts)


def main():
    global ARGS, OUT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bordercov", required=True, help="the built bordercov executable")
    parser.add_argument("--workspace", required=True, help="geodata/gia-lai.gpkg")
    parser.add_argument("--keep", action="store_true", help="keep the outputs (their folder is printed)")
    ARGS, rest = parser.parse_known_args()
    ARGS.bordercov = os.path.abspath(ARGS.bordercov)
    ARGS.workspace = os.path.abspath(ARGS.workspace)
    OUT = tempfile.mkdtemp(prefix="atlas-check-")
    app = QgsApplication([], False)
    app.initQgis()
    try:
        result = unittest.main(argv=[sys.argv[0], *rest], exit=False, verbosity=2).result
    finally:
        QgsProject.instance().clear()
        app.exitQgis()
        shutil.rmtree(_runtime, ignore_errors=True)
        if ARGS.keep:
            print(f"outputs kept in {OUT}", file=sys.stderr)
        else:
            shutil.rmtree(OUT, ignore_errors=True)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
