# ruff: noqa: S608 - every statement here is built from constants; no value is ever interpolated
"""SQL of the dashboard roll-ups: the derived keys of a case, the trigger on incidents_incident, rebuild, check.

The roll-ups are kept by PostgreSQL statement triggers (with transition tables) on incidents_incident, in the
same transaction as the change, so every code path is covered: the ORM, queryset updates, raw SQL, the COPY of
seed_demo and retention erasures. The triggers are installed by the migration maps/0002_rollups, which reads
the statements from this module (plain strings, no app imports): a change here needs a new migration that
re-runs `trigger_install_sql()`.

Tables (ORM models in maps.models):
- maps_caserollup (grain day|month × period × country × category × severity × mission × status): n, acked.
- maps_cellrollup (grain × period × grid cell × country × admin-1 × category × severity × mission): n.
- maps_ackrollup (grain × period × country × category × severity × mission × minutes bucket): n acknowledged.
  Minutes to acknowledge are rounded UP to a bucket: whole minutes up to 2 h, 5 minutes up to 24 h, an hour
  beyond. Medians/p90 are exact over the bucket values (±1 min, ±5 min, ±1 h); breaches are exact while the
  deadlines are whole minutes (≤ 2 h), multiples of 5 min (≤ 24 h) or of an hour.
- maps_pendingack: one row per open, unacknowledged case (the live work queue, not the archive), for the
  "open past its deadline" breaches, which depend on the clock.
The grid size is kept in maps_rollupgrid (one row), written by `manage.py rollups_rebuild`.
"""

MINUTES = "(date_part('epoch', {s}.acknowledged_at - {s}.created_at) / 60.0)"
BUCKET = (
    "(CASE WHEN {m} <= 120 THEN ceil({m}) WHEN {m} <= 1440 THEN ceil({m} / 5) * 5 ELSE ceil({m} / 60) * 60 END)::int"
)
# 0.1 (the default MAPS_GRID_DEG) when the row is missing, e.g. after a test flush emptied the table.
GRID = "COALESCE((SELECT grid_deg FROM maps_rollupgrid WHERE id = 1), 0.1)"
GRAINS = (("day", "day"), ("month", "month"))


def _day(src: str, grain: str) -> str:
    return f"date_trunc('{grain}', {src}.occurred_at AT TIME ZONE 'UTC')::date"


def _selects(table: str, src: str, sign: str) -> str:
    """Rows (key…, values…) that `src` contributes to `table`, times `sign` (1 or -1), for both grains."""
    parts = []
    for grain, trunc in GRAINS:
        day = _day(src, trunc)
        base = f"'{grain}', {day}, {src}.country_id, {src}.category, {src}.severity, {src}.responsible_mission_id"
        where = f"{src}.occurred_at IS NOT NULL"
        if table == "maps_caserollup":
            sel = f"{base}, {src}.status, {sign}, {sign} * ({src}.acknowledged_at IS NOT NULL)::int"
        elif table == "maps_cellrollup":
            gx = f"floor(ST_X({src}.location) / {GRID})::int"
            gy = f"floor(ST_Y({src}.location) / {GRID})::int"
            sel = f"{base}, {gx}, {gy}, {src}.admin1_code, {sign}"
        else:
            m = MINUTES.format(s=src)
            sel = f"{base}, {BUCKET.format(m=m)}, {sign}"
            where += f" AND {src}.acknowledged_at IS NOT NULL"
        parts.append(f"SELECT {sel} FROM {src} WHERE {where}")  # noqa: S608 - constants only
    return " UNION ALL ".join(parts)


KEYS = {
    "maps_caserollup": ("status",),
    "maps_cellrollup": ("gx", "gy", "admin1_code"),
    "maps_ackrollup": ("minutes",),
}
VALUES = {"maps_caserollup": ("n", "acked"), "maps_cellrollup": ("n",), "maps_ackrollup": ("n",)}
COMMON = ("grain", "period", "country_id", "category", "severity", "mission_id")


def upsert_sql(table: str, new_src: str | None, old_src: str | None) -> str:
    """Add the rows of new_src and subtract those of old_src in `table` (keys in order, against deadlocks)."""
    keys = COMMON + KEYS[table]
    values = VALUES[table]
    inner = []
    if new_src:
        inner.append(_selects(table, new_src, "1"))
    if old_src:
        inner.append(_selects(table, old_src, "-1"))
    cols = ", ".join(keys + values)
    sums = ", ".join(f"sum({v})::int" for v in values)
    key_list = ", ".join(keys)
    updates = ", ".join(f"{v} = {table}.{v} + EXCLUDED.{v}" for v in values)
    return f"""
        INSERT INTO {table} ({cols})
        SELECT {key_list}, {sums} FROM ({" UNION ALL ".join(inner)}) AS d ({cols})
        GROUP BY {key_list} HAVING {" OR ".join(f"sum({v}) <> 0" for v in values)}
        ORDER BY {key_list}
        ON CONFLICT ({key_list}) DO UPDATE SET {updates}
    """  # noqa: S608 - constants only


PENDING_WHERE = "{s}.occurred_at IS NOT NULL AND {s}.acknowledged_at IS NULL AND {s}.status IN ('open', 'in_progress')"


def pending_insert_sql(src: str) -> str:
    return f"""
        INSERT INTO maps_pendingack (incident_id, day, created_at, country_id, category, severity, mission_id)
        SELECT {src}.id, {_day(src, "day")}, {src}.created_at, {src}.country_id, {src}.category, {src}.severity,
               {src}.responsible_mission_id
        FROM {src} WHERE {PENDING_WHERE.format(s=src)}
    """  # noqa: S608 - constants only


TABLES = ("maps_caserollup", "maps_cellrollup", "maps_ackrollup")
CLEAN_ZEROS = "; ".join(f"DELETE FROM {t} WHERE n = 0" for t in TABLES)


def trigger_install_sql() -> str:
    """The trigger function and its three statement triggers (INSERT, UPDATE, DELETE) on incidents_incident."""
    insert = "; ".join([upsert_sql(t, "new_rows", None) for t in TABLES] + [pending_insert_sql("new_rows")])
    delete = "; ".join(
        [upsert_sql(t, None, "old_rows") for t in TABLES]
        + ["DELETE FROM maps_pendingack WHERE incident_id IN (SELECT id FROM old_rows)"]
    )
    update = "; ".join(
        [upsert_sql(t, "new_rows", "old_rows") for t in TABLES]
        + ["DELETE FROM maps_pendingack WHERE incident_id IN (SELECT id FROM old_rows)", pending_insert_sql("new_rows")]
    )
    return f"""
        CREATE OR REPLACE FUNCTION maps_rollup_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF TG_OP = 'INSERT' THEN {insert};
            ELSIF TG_OP = 'DELETE' THEN {delete};
            ELSE {update};
            END IF;
            {CLEAN_ZEROS};
            RETURN NULL;
        END $fn$;
        DROP TRIGGER IF EXISTS maps_rollup_insert ON incidents_incident;
        DROP TRIGGER IF EXISTS maps_rollup_update ON incidents_incident;
        DROP TRIGGER IF EXISTS maps_rollup_delete ON incidents_incident;
        CREATE TRIGGER maps_rollup_insert AFTER INSERT ON incidents_incident
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION maps_rollup_apply();
        CREATE TRIGGER maps_rollup_update AFTER UPDATE ON incidents_incident
            REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION maps_rollup_apply();
        CREATE TRIGGER maps_rollup_delete AFTER DELETE ON incidents_incident
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION maps_rollup_apply();
    """


TRIGGER_DROP_SQL = """
    DROP TRIGGER IF EXISTS maps_rollup_insert ON incidents_incident;
    DROP TRIGGER IF EXISTS maps_rollup_update ON incidents_incident;
    DROP TRIGGER IF EXISTS maps_rollup_delete ON incidents_incident;
    DROP FUNCTION IF EXISTS maps_rollup_apply();
"""


def rebuild_sql() -> list[str]:
    """Statements that recompute every roll-up from incidents_incident (writers wait on the SHARE lock)."""
    return [
        "LOCK TABLE incidents_incident IN SHARE MODE",
        "TRUNCATE maps_caserollup, maps_cellrollup, maps_ackrollup, maps_pendingack",
        *[upsert_sql(t, "incidents_incident", None) for t in TABLES],
        pending_insert_sql("incidents_incident"),
    ]


def check_sql() -> list[tuple[str, str]]:
    """(table, statement) pairs: each statement returns the rows where the roll-up and the raw table differ."""
    checks = []
    for table in TABLES:
        keys = COMMON + KEYS[table]
        values = VALUES[table]
        cols = ", ".join(keys + values)
        sums = ", ".join(f"sum({v})::int" for v in values)
        raw = (
            f"SELECT {', '.join(keys)}, {sums} FROM ({_selects(table, 'incidents_incident', '1')}) AS d ({cols}) "
            f"GROUP BY {', '.join(keys)}"
        )
        kept = f"SELECT {cols} FROM {table} WHERE n <> 0"  # noqa: S608 - constants only
        checks.append((table, f"(({raw}) EXCEPT ({kept})) UNION ALL (({kept}) EXCEPT ({raw}))"))
    pend_cols = "incident_id, day, created_at, country_id, category, severity, mission_id"
    pend_raw = pending_insert_sql("incidents_incident").split("SELECT", 1)[1]
    pend_kept = f"SELECT {pend_cols} FROM maps_pendingack"
    checks.append(
        (
            "maps_pendingack",
            f"((SELECT{pend_raw}) EXCEPT ({pend_kept})) UNION ALL (({pend_kept}) EXCEPT (SELECT{pend_raw}))",
        )
    )
    return checks


TRUNCATE_TRIGGER_SQL = """
    CREATE OR REPLACE FUNCTION maps_rollup_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        TRUNCATE maps_caserollup, maps_cellrollup, maps_ackrollup, maps_pendingack;
        RETURN NULL;
    END $fn$;
    DROP TRIGGER IF EXISTS maps_rollup_truncate ON incidents_incident;
    CREATE TRIGGER maps_rollup_truncate AFTER TRUNCATE ON incidents_incident
        FOR EACH STATEMENT EXECUTE FUNCTION maps_rollup_truncate();
"""
"""TRUNCATE fires no row or DELETE trigger: emptying the case table empties the roll-ups with it."""
