-- The coverage of a workspace as an expert would compute it in PostGIS SQL,
-- on the tables of a workspace loaded into schema plan (docs/postgis.md),
-- for the benchmark tools/bench-postgis-sql: what bordercov coverage --json
-- gives in total and per commune, the way PostGIS offers:
--   - a line's parts with their lengths on the ellipsoid (geography);
--   - a point's chainage: the nearest part, ST_LineLocatePoint's fraction
--     along it (planar, in degrees) times the part's geodesic length;
--   - a stretch given by km, by two markers or drawn, as an interval of km;
--   - the union of the intervals by gaps-and-islands (window functions),
--     the gaps as its complement, the overlap (two or more parties) by a
--     sweep over each party's own union;
--   - each commune's pieces of border by ST_Intersection with its polygon
--     (measured as geography, placed along the line by their ends), and its
--     gaps by a range join of the gaps with its pieces.
-- Run: psql -v as_of="'2026-11-28'" -f postgis_coverage.sql. Everything it
-- makes is temporary: it can be run again on the same tables.
\set ON_ERROR_STOP on
BEGIN;

CREATE TEMP TABLE parts AS
SELECT l.line_id, d.path[1] AS part, d.geom,
       ST_Length(d.geom::geography) / 1000 AS km,
       COALESCE(SUM(ST_Length(d.geom::geography) / 1000)
                    OVER (PARTITION BY l.line_id ORDER BY d.path[1]
                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS km0
FROM plan.border_lines l, LATERAL ST_Dump(l.geom) d;
CREATE INDEX ON parts USING gist (geom);
ANALYZE parts;

CREATE FUNCTION pg_temp.chainage(line text, p geometry) RETURNS double precision
LANGUAGE sql STABLE AS $$
    SELECT km0 + ST_LineLocatePoint(geom, p) * km FROM parts
    WHERE line IS NULL OR parts.line_id = line ORDER BY geom <-> p LIMIT 1
$$;
CREATE FUNCTION pg_temp.nearest_line(p geometry) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT line_id FROM parts ORDER BY geom <-> p LIMIT 1
$$;

-- The assignments active on as_of (signed on or before it, expiring after
-- it; a row expiring before it was signed is an error and left out), each
-- as an interval of km.
CREATE TEMP TABLE stretches AS
WITH active AS (
    SELECT * FROM plan.assignments a
    WHERE (a.signed IS NULL OR a.signed <= :as_of::date)
      AND (a.expires IS NULL OR :as_of::date < a.expires)
      AND (a.signed IS NULL OR a.expires IS NULL OR a.signed < a.expires)
), located AS (
    SELECT party_type, party_id, line_id, from_km AS f, to_km AS t
    FROM active WHERE from_km IS NOT NULL
    UNION ALL
    SELECT a.party_type, a.party_id, a.line_id,
           pg_temp.chainage(a.line_id, m1.geom), pg_temp.chainage(a.line_id, m2.geom)
    FROM active a
    JOIN plan.markers m1 ON m1.marker_id = a.from_marker
    JOIN plan.markers m2 ON m2.marker_id = a.to_marker
    UNION ALL
    SELECT a.party_type, a.party_id, l.line_id,
           pg_temp.chainage(l.line_id, ST_StartPoint(a.geom)),
           pg_temp.chainage(l.line_id, ST_EndPoint(a.geom))
    FROM active a,
         LATERAL (SELECT COALESCE(a.line_id, pg_temp.nearest_line(ST_StartPoint(a.geom))) AS line_id) l
    WHERE a.from_km IS NULL AND a.from_marker IS NULL AND a.geom IS NOT NULL
)
SELECT party_type, party_id, line_id, LEAST(f, t) AS f, GREATEST(f, t) AS t FROM located;

-- The union of the intervals on each line: gaps-and-islands.
CREATE TEMP TABLE held AS
WITH o AS (
    SELECT line_id, f, t,
           MAX(t) OVER (PARTITION BY line_id ORDER BY f, t
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM stretches
), g AS (
    SELECT line_id, f, t,
           SUM(CASE WHEN reach >= f THEN 0 ELSE 1 END) OVER (PARTITION BY line_id ORDER BY f, t) AS island
    FROM o
)
SELECT line_id, MIN(f) AS f, MAX(t) AS t FROM g GROUP BY line_id, island;

CREATE TEMP TABLE line_km AS SELECT line_id, SUM(km) AS km FROM parts GROUP BY line_id;

-- The gaps: what the union leaves of [0, the line's length].
CREATE TEMP TABLE gaps AS
SELECT line_id, f, t FROM (
    SELECT line_id, COALESCE(LAG(t) OVER (PARTITION BY line_id ORDER BY f), 0) AS f, f AS t FROM held
    UNION ALL
    SELECT h.line_id, MAX(h.t), MAX(l.km) FROM held h JOIN line_km l USING (line_id) GROUP BY h.line_id
    UNION ALL
    SELECT l.line_id, 0, l.km FROM line_km l
    WHERE NOT EXISTS (SELECT 1 FROM held h WHERE h.line_id = l.line_id)
) x WHERE t - f > 0.000001;

-- Held by two or more parties: each party's own union first, then a sweep.
CREATE TEMP TABLE overlap AS
WITH o AS (
    SELECT line_id, party_type, party_id, f, t,
           MAX(t) OVER (PARTITION BY line_id, party_type, party_id ORDER BY f, t
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM stretches
), g AS (
    SELECT line_id, party_type, party_id, f, t,
           SUM(CASE WHEN reach >= f THEN 0 ELSE 1 END)
               OVER (PARTITION BY line_id, party_type, party_id ORDER BY f, t) AS island
    FROM o
), own AS (
    SELECT line_id, MIN(f) AS f, MAX(t) AS t FROM g GROUP BY line_id, party_type, party_id, island
), ev AS (
    SELECT line_id, f AS x, 1 AS d FROM own UNION ALL SELECT line_id, t, -1 FROM own
), c AS (
    SELECT line_id, x,
           SUM(d) OVER (PARTITION BY line_id ORDER BY x, d ROWS UNBOUNDED PRECEDING) AS n,
           LEAD(x) OVER (PARTITION BY line_id ORDER BY x, d) AS nx
    FROM ev
)
SELECT line_id, SUM(nx - x) AS km FROM c WHERE n >= 2 AND nx IS NOT NULL GROUP BY line_id;

-- The communes' pieces of border: each part, cut in chunks of 256 vertices
-- (ST_Subdivide) for the spatial index, cut by each commune's polygon,
-- each piece measured on the ellipsoid and placed along its line by its
-- ends (ST_LineLocatePoint); then each commune's gaps by joining the gaps'
-- intervals with its pieces' (a GiST index on the ranges of km).
CREATE TEMP TABLE chunks AS
SELECT line_id, part, ST_Subdivide(geom, 256) AS geom FROM parts;
CREATE INDEX ON chunks USING gist (geom);
ANALYZE chunks;

CREATE TEMP TABLE commune_pieces AS
SELECT c.commune_id, p.line_id, LEAST(e.a, e.b) AS f, GREATEST(e.a, e.b) AS t,
       ST_Length(d.geom::geography) / 1000 AS km
FROM plan.communes c
JOIN chunks k ON ST_Intersects(k.geom, c.geom)
JOIN parts p ON p.line_id = k.line_id AND p.part = k.part,
LATERAL ST_Dump(ST_LineMerge(ST_CollectionExtract(ST_Intersection(k.geom, c.geom), 2))) d,
LATERAL (SELECT p.km0 + ST_LineLocatePoint(p.geom, ST_StartPoint(d.geom)) * p.km AS a,
                p.km0 + ST_LineLocatePoint(p.geom, ST_EndPoint(d.geom)) * p.km AS b) e;
CREATE INDEX ON commune_pieces USING gist (numrange(f::numeric, t::numeric));
ANALYZE commune_pieces;

CREATE TEMP TABLE commune_border AS
SELECT commune_id, SUM(km) AS border_km FROM commune_pieces GROUP BY commune_id;

CREATE TEMP TABLE commune_gaps AS
SELECT commune_id, COUNT(*) AS gaps, SUM(km) AS uncovered_km FROM (
    SELECT cp.commune_id, g.line_id, g.f, SUM(LEAST(g.t, cp.t) - GREATEST(g.f, cp.f)) AS km
    FROM gaps g
    JOIN commune_pieces cp ON numrange(cp.f::numeric, cp.t::numeric) && numrange(g.f::numeric, g.t::numeric)
                          AND cp.line_id = g.line_id
    WHERE LEAST(g.t, cp.t) - GREATEST(g.f, cp.f) > 0.000001
    GROUP BY cp.commune_id, g.line_id, g.f
) x GROUP BY commune_id;

CREATE TEMP TABLE commune_coverage AS
SELECT b.commune_id, b.border_km, COALESCE(g.uncovered_km, 0) AS uncovered_km,
       COALESCE(g.gaps, 0) AS gaps
FROM commune_border b LEFT JOIN commune_gaps g USING (commune_id);

-- The results: the totals on one line, then one line per commune.
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' '
SELECT 'total', (SELECT SUM(km) FROM line_km),
       (SELECT SUM(t - f) FROM held),
       (SELECT SUM(t - f) FROM gaps),
       (SELECT COUNT(*) FROM gaps),
       (SELECT COALESCE(SUM(km), 0) FROM overlap);
SELECT 'commune', commune_id, border_km, uncovered_km, gaps FROM commune_coverage ORDER BY commune_id;
COMMIT;
