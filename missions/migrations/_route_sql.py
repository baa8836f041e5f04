"""The two versions of the osc_route() routing function (0003 returns the note, 0005 the basis too)."""

WITH_NOTE = """
CREATE OR REPLACE FUNCTION osc_route(p_lon float8, p_lat float8, p_forced text)
RETURNS TABLE (iso2 text, admin1 text, area_name text, area_mission bigint, area_admin1 text,
               j_mission bigint, j_admin1 text, j_note text, embassy bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    pt geometry := ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326);
    c_id bigint;
    c_iso2 text;
    a1 text := '';
BEGIN
    IF p_forced <> '' THEN
        SELECT gc.id, gc.iso2 INTO c_id, c_iso2 FROM geo_country gc WHERE gc.iso2 = p_forced;
    ELSE
        -- ST_Intersects on the pieces: a point on a border or on a cut line of ST_Subdivide
        -- is covered by at least one piece; on a shared border the first ISO code wins.
        SELECT gc.id, gc.iso2 INTO c_id, c_iso2
        FROM geo_countrypiece p JOIN geo_country gc ON gc.id = p.country_id
        WHERE p.geom && pt AND ST_Intersects(p.geom, pt)
        ORDER BY gc.iso2 LIMIT 1;
    END IF;
    IF c_id IS NULL THEN
        RETURN;
    END IF;
    -- Nearest place of that country with an admin-1 code (KNN on the GiST index). A country
    -- without such places (Antarctica) is skipped: the KNN scan would walk every place.
    IF EXISTS (SELECT 1 FROM geo_place pl WHERE pl.country_code = c_iso2 AND pl.admin1_code <> '') THEN
        SELECT pl.admin1_code INTO a1 FROM geo_place pl
        WHERE pl.country_code = c_iso2 AND pl.admin1_code <> ''
        ORDER BY pl.location <-> pt LIMIT 1;
    END IF;
    a1 := coalesce(a1, '');
    iso2 := c_iso2;
    admin1 := a1;
    SELECT a.name, a.mission_id, a.admin1_code INTO area_name, area_mission, area_admin1
    FROM missions_districtareapiece ap
    JOIN missions_districtarea a ON a.id = ap.area_id
    JOIN missions_mission m ON m.id = a.mission_id AND m.is_active
    WHERE a.country_id = c_id AND ap.geom && pt AND ST_Intersects(ap.geom, pt)
    ORDER BY a.priority DESC, a.id LIMIT 1;
    SELECT jr.mission_id, jr.admin1_code, jr.note INTO j_mission, j_admin1, j_note
    FROM missions_jurisdiction jr JOIN missions_mission m ON m.id = jr.mission_id AND m.is_active
    WHERE jr.country_id = c_id AND (jr.admin1_code = a1 OR jr.admin1_code = '')
    ORDER BY jr.admin1_code = '' LIMIT 1;
    SELECT m.id INTO embassy FROM missions_mission m
    WHERE m.country_id = c_id AND m.kind = 'embassy' AND m.is_active ORDER BY m.code LIMIT 1;
    RETURN NEXT;
END;
$$;
"""

WITH_BASIS = """
CREATE OR REPLACE FUNCTION osc_route(p_lon float8, p_lat float8, p_forced text)
RETURNS TABLE (iso2 text, admin1 text, area_name text, area_mission bigint, area_admin1 text,
               j_mission bigint, j_admin1 text, j_note text, j_basis text, embassy bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    pt geometry := ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326);
    c_id bigint;
    c_iso2 text;
    a1 text := '';
BEGIN
    IF p_forced <> '' THEN
        SELECT gc.id, gc.iso2 INTO c_id, c_iso2 FROM geo_country gc WHERE gc.iso2 = p_forced;
    ELSE
        -- ST_Intersects on the pieces: a point on a border or on a cut line of ST_Subdivide
        -- is covered by at least one piece; on a shared border the first ISO code wins.
        SELECT gc.id, gc.iso2 INTO c_id, c_iso2
        FROM geo_countrypiece p JOIN geo_country gc ON gc.id = p.country_id
        WHERE p.geom && pt AND ST_Intersects(p.geom, pt)
        ORDER BY gc.iso2 LIMIT 1;
    END IF;
    IF c_id IS NULL THEN
        RETURN;
    END IF;
    -- Nearest place of that country with an admin-1 code (KNN on the GiST index). A country
    -- without such places (Antarctica) is skipped: the KNN scan would walk every place.
    IF EXISTS (SELECT 1 FROM geo_place pl WHERE pl.country_code = c_iso2 AND pl.admin1_code <> '') THEN
        SELECT pl.admin1_code INTO a1 FROM geo_place pl
        WHERE pl.country_code = c_iso2 AND pl.admin1_code <> ''
        ORDER BY pl.location <-> pt LIMIT 1;
    END IF;
    a1 := coalesce(a1, '');
    iso2 := c_iso2;
    admin1 := a1;
    SELECT a.name, a.mission_id, a.admin1_code INTO area_name, area_mission, area_admin1
    FROM missions_districtareapiece ap
    JOIN missions_districtarea a ON a.id = ap.area_id
    JOIN missions_mission m ON m.id = a.mission_id AND m.is_active
    WHERE a.country_id = c_id AND ap.geom && pt AND ST_Intersects(ap.geom, pt)
    ORDER BY a.priority DESC, a.id LIMIT 1;
    SELECT jr.mission_id, jr.admin1_code, jr.note, jr.basis INTO j_mission, j_admin1, j_note, j_basis
    FROM missions_jurisdiction jr JOIN missions_mission m ON m.id = jr.mission_id AND m.is_active
    WHERE jr.country_id = c_id AND (jr.admin1_code = a1 OR jr.admin1_code = '')
    ORDER BY jr.admin1_code = '' LIMIT 1;
    SELECT m.id INTO embassy FROM missions_mission m
    WHERE m.country_id = c_id AND m.kind = 'embassy' AND m.is_active ORDER BY m.code LIMIT 1;
    RETURN NEXT;
END;
$$;
"""
