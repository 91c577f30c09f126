"""The floors of benchmarks/followup_bench.py: the same figures by ONE hand-written SQL query.

dashboard_floor(): every figure of the dashboard (coverage, representation with the default
roles, findings by kind x area and by plan area, recurring count, actions by party/status with
overdue, trends of dialogues and findings) in a single UNION ALL statement.
export_floor(): the rows of the four Excel sheets in a single UNION ALL statement.
Portable SQL (SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

OPEN = "('ej_paborjad', 'pagar')"
HELD = "('genomford', 'dokumenterad')"


def _where(region_id: int | None) -> str:
    return f"m.region_id = {int(region_id)}" if region_id is not None else "1 = 1"


def dashboard_sql(region_id: int | None, year: int, today: date) -> str:
    w = _where(region_id)
    t = f"'{today.isoformat()}'"
    return f"""
WITH sel AS (
  SELECT d.id, d.status, d.year, d.care_home_id FROM dialogue d
  JOIN care_home h ON h.id = d.care_home_id JOIN municipality m ON m.id = h.municipality_id
  WHERE {w}),
rep AS (
  SELECT d.id,
    MAX(CASE WHEN p.side = 'sabo' AND p.role = 'enhetschef' THEN 1 ELSE 0 END) AS uc,
    MAX(CASE WHEN p.side = 'sabo' AND p.role = 'sjukskoterska' THEN 1 ELSE 0 END) AS ns,
    MAX(CASE WHEN p.side = 'sabo' AND p.role IN ('arbetsterapeut', 'fysioterapeut')
        THEN 1 ELSE 0 END) AS rh,
    MAX(CASE WHEN p.side = 'vardcentral' AND p.role = 'sabo_lakare' THEN 1 ELSE 0 END) AS ph,
    MAX(CASE WHEN p.side = 'vardcentral' AND p.role = 'verksamhetschef' THEN 1 ELSE 0 END) AS cm
  FROM sel d LEFT JOIN participant p ON p.dialogue_id = d.id AND p.removed_at IS NULL
    AND p.attendance IN ('deltog', 'ersattare')
  WHERE d.year = {year} AND d.status IN {HELD} GROUP BY d.id)
SELECT 'status' AS s, d.status AS k1, '' AS k2, COUNT(*) AS n FROM sel d
  WHERE d.year = {year} GROUP BY d.status
UNION ALL SELECT 'homes', '', '', COUNT(*) FROM care_home h
  JOIN municipality m ON m.id = h.municipality_id WHERE h.active AND {w}
UNION ALL SELECT 'without', '', '', COUNT(*) FROM care_home h
  JOIN municipality m ON m.id = h.municipality_id WHERE h.active AND {w}
  AND NOT EXISTS (SELECT 1 FROM dialogue d WHERE d.care_home_id = h.id AND d.year = {year}
                  AND d.status <> 'installd')
UNION ALL SELECT 'rep', CAST(uc + ns + rh + ph + cm AS VARCHAR(8)),
  CAST(uc * ns * rh AS VARCHAR(8)) || CAST(ph * cm AS VARCHAR(8)), COUNT(*)
  FROM rep GROUP BY uc + ns + rh + ph + cm, uc * ns * rh, ph * cm
UNION ALL SELECT 'missing', 'uc', '', SUM(1 - uc) FROM rep
UNION ALL SELECT 'missing', 'ns', '', SUM(1 - ns) FROM rep
UNION ALL SELECT 'missing', 'rh', '', SUM(1 - rh) FROM rep
UNION ALL SELECT 'missing', 'ph', '', SUM(1 - ph) FROM rep
UNION ALL SELECT 'missing', 'cm', '', SUM(1 - cm) FROM rep
UNION ALL SELECT 'kind_area', f.kind, a.name, COUNT(*) FROM finding f
  JOIN area a ON a.id = f.area_id
  WHERE f.dialogue_id IN (SELECT id FROM sel WHERE year = {year}) GROUP BY f.kind, a.name
UNION ALL SELECT 'plan', COALESCE(pa.name, ''), '', COUNT(*) FROM finding f
  LEFT JOIN plan_area pa ON pa.id = f.plan_area_id
  WHERE f.dialogue_id IN (SELECT id FROM sel WHERE year = {year}) GROUP BY pa.name
UNION ALL SELECT 'recurring', '', '', COUNT(*) FROM (
  SELECT d.care_home_id, x.kind, x.area_id FROM (
    SELECT DISTINCT f.dialogue_id, f.kind, f.area_id FROM finding f
    WHERE f.kind <> 'framgangsfaktor' AND f.dialogue_id IN (
      SELECT id FROM sel WHERE year BETWEEN {year - 4} AND {year})) x
  JOIN dialogue d ON d.id = x.dialogue_id
  GROUP BY d.care_home_id, x.kind, x.area_id
  HAVING COUNT(DISTINCT d.year) >= 2 AND MAX(d.year) = {year}) r
UNION ALL SELECT 'actions', a.responsible_party,
  a.status || CASE WHEN a.status IN {OPEN} AND a.due_date < {t} THEN '#late' ELSE '' END,
  COUNT(*) FROM action a JOIN sel d ON d.id = a.dialogue_id WHERE d.year = {year}
  GROUP BY a.responsible_party, a.status,
    CASE WHEN a.status IN {OPEN} AND a.due_date < {t} THEN '#late' ELSE '' END
UNION ALL SELECT 'trend_d', CAST(d.year AS VARCHAR(8)), d.status, COUNT(*) FROM sel d
  WHERE d.year <= {year} GROUP BY d.year, d.status
UNION ALL SELECT 'trend_f', CAST(d.year AS VARCHAR(8)), x.kind, SUM(x.n) FROM (
  SELECT f.dialogue_id, f.kind, COUNT(*) AS n FROM finding f
  WHERE f.dialogue_id IN (SELECT id FROM sel WHERE year <= {year})
  GROUP BY f.dialogue_id, f.kind) x JOIN dialogue d ON d.id = x.dialogue_id
  GROUP BY d.year, x.kind
"""


def summarise(rows) -> dict:
    """The floor's rows reduced to a few headline figures, to check they equal ours."""
    out = {
        "booked": 0,
        "held": 0,
        "documented": 0,
        "findings": 0,
        "full": 0,
        "actions": 0,
        "overdue": 0,
        "recurring": 0,
        "homes": 0,
        "without": 0,
    }
    for s, k1, k2, n in rows:
        n = int(n or 0)
        if s == "status":
            out["booked"] += n if k1 != "installd" else 0
            out["held"] += n if k1 in ("genomford", "dokumenterad") else 0
            out["documented"] += n if k1 == "dokumenterad" else 0
        elif s == "kind_area":
            out["findings"] += n
        elif s == "rep" and k1 == "5":
            out["full"] += n
        elif s == "actions":
            out["actions"] += n
            out["overdue"] += n if k2.endswith("#late") else 0
        elif s in ("recurring", "homes", "without"):
            out[s] += n
    return out


def run_dashboard_floor(conn, region_id, year, today):
    return conn.execute(sa.text(dashboard_sql(region_id, year, today))).all()


def export_sql(region_id: int | None, year: int, today: date) -> str:
    w = _where(region_id)
    t = f"'{today.isoformat()}'"
    sel = (
        f"FROM dialogue d JOIN care_home h ON h.id = d.care_home_id "
        f"JOIN municipality m ON m.id = h.municipality_id WHERE {w} AND d.year = {year}"
    )
    return f"""
SELECT 'dialogue' AS t, d.id, h.name, m.name AS c3, CAST(d.starts_at AS VARCHAR(40)) AS c4,
  d.status AS c5, hc.name AS c6, CAST(d.held_at AS VARCHAR(40)) AS c7,
  CAST(d.documented_at AS VARCHAR(40)) AS c8
  FROM dialogue d JOIN care_home h ON h.id = d.care_home_id
  JOIN municipality m ON m.id = h.municipality_id
  LEFT JOIN health_centre hc ON hc.id = d.health_centre_id WHERE {w} AND d.year = {year}
UNION ALL SELECT 'participant', p.id, h.name, m.name, CAST(d.starts_at AS VARCHAR(40)), p.name,
  p.role, p.side, p.attendance {sel.replace("FROM dialogue d", "FROM dialogue d JOIN participant p ON p.dialogue_id = d.id AND p.removed_at IS NULL")}
UNION ALL SELECT 'finding', f.id, h.name, m.name, f.kind, a.name, pa.name, f.description,
  CAST(f.escalate AS VARCHAR(8))
  FROM finding f JOIN dialogue d ON d.id = f.dialogue_id
  JOIN care_home h ON h.id = d.care_home_id JOIN municipality m ON m.id = h.municipality_id
  JOIN area a ON a.id = f.area_id LEFT JOIN plan_area pa ON pa.id = f.plan_area_id
  WHERE {w} AND d.year = {year}
UNION ALL SELECT 'action', x.id, h.name, m.name, x.description, x.responsible_party, x.status,
  CAST(x.due_date AS VARCHAR(20)),
  CASE WHEN x.status IN {OPEN} AND x.due_date < {t} THEN 'late' ELSE '' END
  FROM action x JOIN dialogue d ON d.id = x.dialogue_id
  JOIN care_home h ON h.id = d.care_home_id JOIN municipality m ON m.id = h.municipality_id
  WHERE {w} AND d.year = {year}
"""


def run_export_floor(conn, region_id, year, today):
    return conn.execute(sa.text(export_sql(region_id, year, today))).all()
