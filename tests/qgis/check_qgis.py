#!/usr/bin/python3
"""check_qgis.py: open bordercov's output of the Gia Lai sample in a real,
headless QGIS (PyQGIS, QT_QPA_PLATFORM=offscreen) and check that a planner
sees the answer without styling anything.

The ctest labelled "qgis" runs it (CMake option BORDERCOV_QGIS_TESTS, which
tools/run-tests turns on under BORDERCOV_QGIS=1). By hand:

    /usr/bin/python3 tests/qgis/check_qgis.py --bordercov build/bin/bordercov \\
        --workspace geodata/gia-lai.gpkg

It runs `bordercov coverage --as-of 2026-11-28` into a fresh folder, four
times: a GeoPackage with a project beside it, a GeoPackage in UTM 48N with a
project in another folder, a GeoJSON folder and a Shapefile folder (each
with a project). Then, with QgsProject and QgsVectorLayer, for every output:
every layer valid; its feature count; its CRS; the style QGIS applied on
load (renderer type, its categories or ranges, colours, labels); the
Vietnamese commune names read back intact; a rendered map with red and
green in it. The projects are also read after being moved with their data.

Expected values come from the sample's documented figures
(geodata/README.md, "Expected results", as of 2026-11-28) and from GDAL's
own reading of the same files (osgeo.ogr), never from bordercov's printout.

With --postgis STATE_FILE (the ctest labelled qgis and postgis) it checks
the output written into PostgreSQL instead: in the test cluster of
tests/postgis (STATE_FILE names its socket folder), the Gia Lai sample read
from a copy of the database gialai (schema plan) and the layers written into
its schema results; each layer added from the database as QGIS's Browser
adds it (the postgres provider) must open styled from public.layer_styles.

Needs Debian's python3-qgis and qgis-providers (tools/install-deps under
BORDERCOV_QGIS=1) and python3-gdal. Run with /usr/bin/python3: PyQGIS is
built for the system Python.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_runtime = tempfile.mkdtemp(prefix="qgis-runtime-")
os.chmod(_runtime, 0o700)
os.environ.setdefault("XDG_RUNTIME_DIR", _runtime)

from osgeo import ogr  # noqa: E402
from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsDataSourceUri,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsLayerTreeGroup,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRenderContext,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

AS_OF = "2026-11-28"

# geodata/README.md, "Expected results", as of 2026-11-28, and "Layers of
# gia-lai.gpkg": what the planners' own figures say the layers must hold.
COMMUNES = {  # commune_id: (name, coverage_pct)
    "IaO": ("Ia O", 97.03),
    "IaChia": ("Ia Chía", 91.52),
    "IaDom": ("Ia Dom", 96.65),
    "IaNan": ("Ia Nan", 84.55),
    "IaPnon": ("Ia Pnôn", 100.00),
    "IaPuch": ("Ia Púch", 97.14),
    "IaMo": ("Ia Mơ", 96.49),
}
GAP_KM = [0.445, 0.890, 0.201, 0.201, 2.009, 0.358, 0.603]
MARKERS = 81
UNOWNED_MARKERS = {"24", "34", "48/1", "58", "74/1", "76"}
TEAMS = 53
DISTRICTS = 3
LINES = 1

STYLED = {"segments", "gaps", "markers", "commune_summary", "diagnostics"}
GROUPS = {
    "coverage": {"gaps", "segments", "line_summary", "team_summary"},
    "markers": {"markers"},
    "communes": {"commune_summary", "district_summary"},
    "diagnostics": {"diagnostics"},
}
# Shapefile names of the fields the styles read (README, the documented mapping).
SHAPEFILE = {"coverage_pct": "cover_pct", "owner_count": "owner_cnt"}

ARGS = None
OUT = None  # the folder of every output
OUTPUTS = {}  # name: dict(driver, data, project, crs)


def field(name, driver):
    return SHAPEFILE.get(name, name) if driver == "ESRI Shapefile" else name


def bordercov(*args, workspace=None):
    run = subprocess.run([ARGS.bordercov, "coverage", workspace or ARGS.workspace, "--as-of", AS_OF,
                          *args],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"bordercov {' '.join(args)} failed ({run.returncode}):\n{run.stderr}")


PG_DATABASE = "qgis_check"


def psql(sql, database="postgres"):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg_socket(), "-U",
                    "bordercov_admin", "-d", database, "-c", sql], check=True)


def pg_socket():
    with open(ARGS.postgis) as state:
        return state.read().strip()


def pg_connection(schema):
    return f"PG:host={pg_socket()} user=bordercov_admin dbname={PG_DATABASE} active_schema={schema}"


def make_postgis_output():
    """The sample read from the database and written into its schema results."""
    psql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {PG_DATABASE} TEMPLATE gialai")
    bordercov("-o", pg_connection("results"), workspace=pg_connection("plan"))
    OUTPUTS["postgis"] = dict(driver="PostgreSQL", data=pg_connection("results"), crs="EPSG:4326")


def setUpModule():
    global OUT
    OUT = tempfile.mkdtemp(prefix="qgis-check-")
    os.makedirs(os.path.join(OUT, "data"))
    os.makedirs(os.path.join(OUT, "maps"))
    if ARGS.postgis:
        make_postgis_output()
        return
    outputs = [
        ("gpkg", "GPKG", "gia-lai.gpkg", "gia-lai.qgs", "EPSG:4326", []),
        ("utm", "GPKG", "data/gia-lai-utm.gpkg", "maps/gia-lai-utm.qgs", "EPSG:32648",
         ["--t-srs", "EPSG:32648"]),
        ("geojson", "GeoJSON", "geojson", "geojson.qgs", "EPSG:4326", []),
        ("shapefile", "ESRI Shapefile", "shapefile", "shapefile.qgs", "EPSG:4326", []),
    ]
    for name, driver, data, project, crs, extra in outputs:
        data, project = os.path.join(OUT, data), os.path.join(OUT, project)
        bordercov("-o", data, "-f", driver, "--qgis-project", project, *extra)
        OUTPUTS[name] = dict(driver=driver, data=data, project=project, crs=crs)


def tearDownModule():
    if ARGS.postgis and not ARGS.keep:
        psql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    if ARGS.keep:
        print(f"outputs kept in {OUT}", file=sys.stderr)
    else:
        shutil.rmtree(OUT, ignore_errors=True)


def layer_uri(output, layer):
    """The OGR data source QGIS opens for a layer of an output."""
    driver, data = output["driver"], output["data"]
    if driver == "GPKG":
        return f"{data}|layername={layer}"
    ext = {"GeoJSON": ".geojson", "ESRI Shapefile": ".shp"}[driver]
    path = os.path.join(data, layer + ext)
    if not os.path.exists(path):
        path = os.path.join(data, layer + ".dbf")  # a Shapefile table without geometry
    return path


def qgis_layer(output, name):
    """The layer as a user adds it: from the file (ogr), or from the
    database's Browser (postgres, the table's key and geometry column)."""
    if output["driver"] != "PostgreSQL":
        return QgsVectorLayer(layer_uri(output, name), name, "ogr")
    uri = QgsDataSourceUri()
    uri.setConnection(pg_socket(), "5432", PG_DATABASE, "bordercov_admin", "")
    geometry = "geom" if name not in ("line_summary", "team_summary", "district_summary") else None
    uri.setDataSource("results", name, geometry, "", "fid")
    return QgsVectorLayer(uri.uri(False), name, "postgres")


def ogr_layer(output, name):
    """The dataset (kept open by the caller) and the layer, as GDAL reads them."""
    if output["driver"] == "PostgreSQL":
        ds = ogr.Open(output["data"])
        return ds, ds.GetLayerByName(name)
    path, _, rest = layer_uri(output, name).partition("|layername=")
    ds = ogr.Open(path)
    return ds, ds.GetLayerByName(rest) if rest else ds.GetLayer(0)


def ogr_count(output, name):
    """Features of a layer as GDAL counts them, independently of QGIS."""
    ds, layer = ogr_layer(output, name)
    return layer.GetFeatureCount()


def ogr_values(output, name, field_name):
    ds, layer = ogr_layer(output, name)
    return {f.GetField(field_name) for f in layer}


def render(layers, crs, extent, size=(400, 600)):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(crs)
    settings.setExtent(extent)
    settings.setOutputSize(QSize(*size))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()


def count_near(image, rgb, tolerance=40):
    """Pixels of the image within `tolerance` of a colour, on a coarse grid."""
    n = 0
    for x in range(0, image.width(), 2):
        for y in range(0, image.height(), 2):
            c = QColor(image.pixel(x, y))
            if abs(c.red() - rgb[0]) + abs(c.green() - rgb[1]) + abs(c.blue() - rgb[2]) <= tolerance:
                n += 1
    return n


def is_red(color):
    return color.red() > 180 and color.green() < 80 and color.blue() < 80


def is_green(color):
    return color.green() > 120 and color.red() < 80 and color.blue() < 100


class StyledLayers:
    """Checks of one output's layers, opened one by one as a user would
    (Layer > Add Vector Layer): QGIS applies the style it finds itself."""

    output = None

    def layer(self, name):
        layer = qgis_layer(OUTPUTS[self.output], name)
        self.assertTrue(layer.isValid(), f"QGIS cannot open {layer.source()}")
        return layer

    def test_every_layer_valid_with_its_features_and_crs(self):
        out = OUTPUTS[self.output]
        counts = {"gaps": len(GAP_KM), "markers": MARKERS, "commune_summary": len(COMMUNES),
                  "team_summary": TEAMS, "district_summary": DISTRICTS, "line_summary": LINES,
                  "diagnostics": 0}
        for name in ["segments", *counts]:
            with self.subTest(layer=name):
                layer = self.layer(name)
                self.assertEqual(layer.featureCount(), ogr_count(out, name))
                if name in counts:
                    self.assertEqual(layer.featureCount(), counts[name])
                if name in STYLED and layer.featureCount() > 0:
                    self.assertEqual(layer.crs().authid(), out["crs"])

    def test_segments_green_covered_red_uncovered_orange_overlap(self):
        driver = OUTPUTS[self.output]["driver"]
        layer = self.layer("segments")
        renderer = layer.renderer()
        self.assertEqual(renderer.type(), "categorizedSymbol")
        self.assertEqual(renderer.classAttribute(), "status")
        colours = {c.value(): c.symbol().color() for c in renderer.categories()}
        self.assertEqual(set(colours), {"covered", "uncovered", "overlap"})
        # Every status in the data has its category.
        present = ogr_values(OUTPUTS[self.output], "segments", "status")
        self.assertLessEqual(present, set(colours))
        self.assertTrue(is_green(colours["covered"]), colours["covered"].name())
        self.assertTrue(is_red(colours["uncovered"]), colours["uncovered"].name())
        orange = colours["overlap"]
        self.assertTrue(orange.red() > 200 and 100 < orange.green() < 200 and orange.blue() < 100, orange.name())
        # The width grows with the number of owners, read from the field the file has.
        categories = renderer.categories()  # copies that own their symbols: keep them alive
        line = next(c for c in categories if c.value() == "covered").symbol().symbolLayer(0)
        prop = line.dataDefinedProperties().property(line.PropertyStrokeWidth)
        self.assertTrue(prop.isActive())
        self.assertIn(f'"{field("owner_count", driver)}"', prop.expressionString())
        self.assertIn(field("owner_count", driver), layer.fields().names())

    def test_gaps_labelled_with_their_km(self):
        layer = self.layer("gaps")
        self.assertEqual(layer.renderer().type(), "singleSymbol")
        self.assertTrue(is_red(layer.renderer().symbol().symbolLayer(1).color()))
        self.assertTrue(layer.labelsEnabled())
        labels = self.labels(layer)
        for km in GAP_KM:
            self.assertTrue(any(label.endswith(f"{km:.3f} km") for label in labels), (km, labels))

    def test_markers_by_custody_labelled_with_their_id(self):
        layer = self.layer("markers")
        renderer = layer.renderer()
        self.assertEqual(renderer.type(), "categorizedSymbol")
        self.assertEqual(renderer.classAttribute(), "status")
        colours = {c.value(): c.symbol().color() for c in renderer.categories()}
        self.assertEqual(set(colours), {"custodied", "unowned"})
        self.assertTrue(is_red(colours["unowned"]))
        self.assertTrue(is_green(colours["custodied"]))
        unowned = {f["marker_id"] for f in layer.getFeatures() if f["status"] == "unowned"}
        self.assertEqual(unowned, UNOWNED_MARKERS)
        self.assertTrue(layer.labelsEnabled())
        self.assertEqual(layer.labeling().settings().fieldName, "marker_id")

    def test_communes_graduated_by_coverage_labelled_with_name_and_pct(self):
        driver = OUTPUTS[self.output]["driver"]
        pct = field("coverage_pct", driver)
        layer = self.layer("commune_summary")
        renderer = layer.renderer()
        self.assertEqual(renderer.type(), "graduatedSymbol")
        self.assertEqual(renderer.classAttribute(), pct)
        ranges = sorted((r.lowerValue(), r.upperValue()) for r in renderer.ranges())
        self.assertEqual(ranges[0][0], 0)
        self.assertEqual(ranges[-1][1], 100)
        for (_, upper), (lower, _) in zip(ranges, ranges[1:]):
            self.assertEqual(upper, lower, "the ranges leave a hole")
        # A ramp from red (least covered) to green (all covered).
        by_lower = sorted(renderer.ranges(), key=lambda r: r.lowerValue())
        self.assertTrue(is_red(by_lower[0].symbol().color()))
        self.assertTrue(is_green(by_lower[-1].symbol().color()))
        # Names in Vietnamese, intact; labels with the percentage.
        names = {f["commune_id"]: f["name"] for f in layer.getFeatures()}
        self.assertEqual(names, {k: v[0] for k, v in COMMUNES.items()})
        self.assertTrue(layer.labelsEnabled())
        labels = self.labels(layer)
        for name, coverage in COMMUNES.values():
            self.assertIn(f"{name}\n{coverage:.2f} %", labels)
        # Ia Pnôn (100 %) is in the green class, Ia Nan (84.55 %) is not.
        context = QgsRenderContext()
        context.setExpressionContext(self.expression_context(layer))
        renderer.startRender(context, layer.fields())
        colour = {f["commune_id"]: renderer.symbolForFeature(f, context).color() for f in layer.getFeatures()}
        renderer.stopRender(context)
        self.assertTrue(is_green(colour["IaPnon"]))
        self.assertFalse(is_green(colour["IaNan"]))

    def test_diagnostics_by_severity(self):
        layer = self.layer("diagnostics")
        if layer.featureCount() == 0 and OUTPUTS[self.output]["driver"] == "GeoJSON":
            return  # an empty GeoJSON has no geometry type: QGIS sees a table
        renderer = layer.renderer()
        self.assertEqual(renderer.type(), "categorizedSymbol")
        self.assertEqual(renderer.classAttribute(), "severity")
        self.assertEqual({c.value() for c in renderer.categories()}, {"error", "warning"})

    @staticmethod
    def expression_context(layer):
        context = QgsExpressionContext()
        context.appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        return context

    def labels(self, layer):
        """The label text of every feature, as QGIS evaluates the style's expression."""
        settings = layer.labeling().settings()
        expression = QgsExpression(settings.fieldName if settings.isExpression
                                   else QgsExpression.quotedColumnRef(settings.fieldName))
        context = self.expression_context(layer)
        expression.prepare(context)
        out = []
        for f in layer.getFeatures():
            context.setFeature(f)
            out.append(expression.evaluate(context))
            self.assertFalse(expression.hasEvalError(), expression.evalErrorString())
        return out


class GpkgLayers(StyledLayers, unittest.TestCase):
    output = "gpkg"

    def test_styles_come_from_layer_styles(self):
        ds = ogr.Open(OUTPUTS[self.output]["data"])
        rows = {f.GetField("f_table_name"): str(f.GetFID()) for f in ds.GetLayerByName("layer_styles")}
        self.assertEqual(set(rows), STYLED)
        for name in STYLED:
            # QGIS lists the layer's own styles first (QGIS 3.22 then repeats
            # the other layers' ones: only the first `count` are its own).
            count, ids, names, _, error = self.layer(name).listStylesInDatabase()
            self.assertEqual(count, 1, error)
            self.assertEqual((ids[0], names[0]), (rows[name], "bordercov"))


@unittest.skipUnless("postgis" in OUTPUTS or "--postgis" in sys.argv, "no --postgis")
class PostgisLayers(StyledLayers, unittest.TestCase):
    output = "postgis"

    def test_styles_come_from_public_layer_styles(self):
        for name in STYLED:
            count, ids, names, _, error = self.layer(name).listStylesInDatabase()
            self.assertGreaterEqual(count, 1, error)
            self.assertEqual(names[0], "bordercov")

    def test_map_shows_red_gaps_and_green_border(self):
        # Top first, as a map draws them.
        layers = [self.layer(name) for name in ("markers", "gaps", "segments", "commune_summary")]
        extent = layers[2].extent()
        extent.scale(1.2)
        image = render(layers, layers[2].crs(), extent)
        self.assertGreater(count_near(image, (215, 25, 28)), 20, "no red gap drawn")
        self.assertGreater(count_near(image, (26, 150, 65)), 100, "no green covered border drawn")


class UtmLayers(StyledLayers, unittest.TestCase):
    output = "utm"


class GeoJsonLayers(StyledLayers, unittest.TestCase):
    output = "geojson"


class ShapefileLayers(StyledLayers, unittest.TestCase):
    output = "shapefile"

    def test_prj_and_utf8_cpg(self):
        data = OUTPUTS[self.output]["data"]
        for name in STYLED:
            with open(os.path.join(data, name + ".cpg")) as cpg:
                self.assertEqual(cpg.read().strip(), "UTF-8")
            self.assertTrue(os.path.exists(os.path.join(data, name + ".prj")))
            self.assertTrue(os.path.exists(os.path.join(data, name + ".qml")))


class Projects(unittest.TestCase):
    """The written .qgs, read with QgsProject as QGIS opens it."""

    def read(self, path):
        project = QgsProject.instance()
        project.clear()
        self.assertTrue(project.read(path), project.error())
        return project

    def check_project(self, output, path=None):
        out = OUTPUTS[output]
        project = self.read(path or out["project"])
        self.assertEqual(project.crs().authid(), out["crs"])
        layers = {layer.name(): layer for layer in project.mapLayers().values()}
        self.assertEqual(set(layers), set().union(*GROUPS.values()))
        for name, layer in layers.items():
            with self.subTest(output=output, layer=name):
                self.assertTrue(layer.isValid(), layer.source())
                self.assertEqual(layer.featureCount(), ogr_count(out, name))
        self.assertEqual(layers["gaps"].featureCount(), len(GAP_KM))
        self.assertEqual(layers["commune_summary"].featureCount(), len(COMMUNES))
        self.assertEqual(layers["segments"].renderer().type(), "categorizedSymbol")
        self.assertEqual({c.value() for c in layers["segments"].renderer().categories()},
                         {"covered", "uncovered", "overlap"})
        self.assertEqual(layers["markers"].renderer().type(), "categorizedSymbol")
        self.assertEqual(layers["commune_summary"].renderer().type(), "graduatedSymbol")
        self.assertEqual(layers["commune_summary"].renderer().classAttribute(),
                         field("coverage_pct", out["driver"]))
        self.assertTrue(layers["gaps"].labelsEnabled())
        self.assertEqual({f["name"] for f in layers["commune_summary"].getFeatures()},
                         {v[0] for v in COMMUNES.values()})
        # The groups of the layer tree.
        root = project.layerTreeRoot()
        groups = {g.name(): {c.name() for c in g.children()} for g in root.children()
                  if isinstance(g, QgsLayerTreeGroup)}
        self.assertEqual(groups, GROUPS)
        # It opens zoomed to the layers, and they show red and green.
        extent = project.viewSettings().defaultViewExtent()
        self.assertFalse(extent.isNull())
        ordered = [l.layer() for l in root.findLayers() if l.layer().isSpatial()]
        image = render(ordered, project.crs(), extent)
        self.assertGreater(count_near(image, (215, 25, 28)), 20, "no red gap drawn")
        self.assertGreater(count_near(image, (26, 150, 65)), 100, "no green covered border drawn")
        return project

    def relative_sources(self, path):
        sources = [e.text for e in ET.parse(path).getroot().iter("datasource")]
        self.assertTrue(sources)
        for s in sources:
            self.assertTrue(s.startswith("./") or s.startswith("../"), s)
        return sources

    def test_gpkg_project(self):
        self.check_project("gpkg")
        self.assertIn("./gia-lai.gpkg|layername=segments", self.relative_sources(OUTPUTS["gpkg"]["project"]))

    def test_utm_project_in_another_folder(self):
        self.check_project("utm")
        self.assertIn("../data/gia-lai-utm.gpkg|layername=segments",
                      self.relative_sources(OUTPUTS["utm"]["project"]))

    def test_geojson_project(self):
        self.check_project("geojson")
        self.relative_sources(OUTPUTS["geojson"]["project"])

    def test_shapefile_project(self):
        self.check_project("shapefile")
        self.assertIn("./shapefile/segments.shp", self.relative_sources(OUTPUTS["shapefile"]["project"]))

    def test_project_moved_with_its_data(self):
        moved = tempfile.mkdtemp(prefix="qgis-moved-")
        try:
            out = OUTPUTS["gpkg"]
            shutil.copy(out["data"], moved)
            shutil.copy(out["project"], moved)
            self.check_project("gpkg", os.path.join(moved, os.path.basename(out["project"])))
            for layer in QgsProject.instance().mapLayers().values():
                self.assertTrue(layer.source().startswith(moved), layer.source())
        finally:
            QgsProject.instance().clear()
            shutil.rmtree(moved, ignore_errors=True)


class VietnameseTitles(unittest.TestCase):
    """coverage --lang vi: QGIS's attribute table heads the fields in
    Vietnamese (field aliases in the styles), and the project's layer tree
    names the layers and groups in Vietnamese; the field names stay."""

    ALIASES = {"gaps": {"gap_id": "Đoạn trống", "length_km": "Chiều dài (km)"},
               "commune_summary": {"border_km": "Biên giới (km)",
                                   "coverage_pct": "Tỷ lệ có người nhận (%)"},
               "markers": {"offset_m": "Cách đường biên (m)"}}

    def test_gpkg_and_shapefile(self):
        for driver, data in (("GPKG", "vi.gpkg"), ("ESRI Shapefile", "vi-shp")):
            data = os.path.join(OUT, data)
            project = os.path.join(OUT, f"vi-{driver[:4]}.qgs")
            bordercov("-o", data, "-f", driver, "--qgis-project", project, "--lang", "vi")
            out = dict(driver=driver, data=data)
            for layer, aliases in self.ALIASES.items():
                # As QGIS opens the layer on its own: the default style applies.
                opened = QgsVectorLayer(layer_uri(out, layer), layer, "ogr")
                self.assertTrue(opened.isValid())
                for name, alias in aliases.items():
                    index = opened.fields().indexOf(field(name, driver))
                    self.assertGreaterEqual(index, 0, name)
                    self.assertEqual(opened.attributeDisplayName(index), alias, (driver, name))
            qgs = QgsProject.instance()
            qgs.clear()
            self.assertTrue(qgs.read(project), qgs.error())
            names = {l.name() for l in qgs.mapLayers().values()}
            self.assertIn("Đoạn trống", names)
            self.assertIn("Tổng hợp theo xã", names)
            self.assertIn("Mốc quốc giới", names)
            groups = {g.name() for g in qgs.layerTreeRoot().children()
                      if isinstance(g, QgsLayerTreeGroup)}
            self.assertEqual(groups, {"Lỗi dữ liệu", "Mốc quốc giới", "Tự quản", "Xã"})
            qgs.clear()


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bordercov", required=True, help="the built bordercov executable")
    parser.add_argument("--workspace", required=True, help="geodata/gia-lai.gpkg")
    parser.add_argument("--keep", action="store_true", help="keep the outputs (their folder is printed)")
    parser.add_argument("--postgis", metavar="STATE_FILE",
                        help="check the output written into the test cluster of tests/postgis instead")
    ARGS, rest = parser.parse_known_args()
    if ARGS.postgis:
        rest = ["PostgisLayers", *rest]
    ARGS.bordercov = os.path.abspath(ARGS.bordercov)
    ARGS.workspace = os.path.abspath(ARGS.workspace)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        result = unittest.main(argv=[sys.argv[0], *rest], exit=False, verbosity=2).result
    finally:
        QgsProject.instance().clear()
        app.exitQgis()
        shutil.rmtree(_runtime, ignore_errors=True)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
