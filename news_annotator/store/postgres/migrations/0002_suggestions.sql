-- Server format version 2: suggestions (annotator/suggest/), as a file's format 4 has
-- them. Learned models travel in the project, one per layer (a curator's to write, like
-- the schema); rejected suggestions are remembered for everyone (any member may add or
-- take back one).
CREATE TABLE suggestion_models (
    layer      text PRIMARY KEY,
    trained_at text NOT NULL,
    annotators text NOT NULL DEFAULT '[]',
    documents  integer NOT NULL DEFAULT 0,
    params     text NOT NULL DEFAULT '{}',
    bytes      bytea NOT NULL
);

CREATE TABLE rejected_suggestions (
    document_id bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer       text NOT NULL,
    label       text NOT NULL,
    fragments   text NOT NULL,
    rejected_at text NOT NULL,
    PRIMARY KEY (document_id, layer, label, fragments)
);

-- The `suggestions` annotator is the machine's, shared by the team: every member may
-- write its spans (a suggestion is accepted by copying it into one's own work and
-- deleting it, rejected by deleting it). Everyone else's work stays theirs alone.
CREATE OR REPLACE FUNCTION may_write(who bigint) RETURNS boolean LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT EXISTS (
        SELECT 1 FROM annotators a
        WHERE a.id = who AND (a.name = current_user::text OR a.name = 'suggestions'
              OR (a.name = 'gold' AND EXISTS (
                  SELECT 1 FROM members m WHERE m.role = current_user::text AND m.curator))));
END;

CREATE OR REPLACE FUNCTION claim_annotator(who_name text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = annotator, pg_temp AS $$
DECLARE
    found bigint;
BEGIN
    IF NOT (who_name = session_user::text OR who_name = 'suggestions'
            OR pg_has_role(session_user, (SELECT c.relowner FROM pg_class c
                                          WHERE c.oid = 'annotator.spans'::regclass), 'USAGE')
            OR (who_name = 'gold' AND EXISTS (SELECT 1 FROM annotator.members m
                                              WHERE m.role = session_user::text AND m.curator)))
    THEN
        RAISE EXCEPTION 'connected as %, you may not write as %', session_user, who_name
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO annotator.annotators(name) VALUES (who_name) ON CONFLICT (name) DO NOTHING;
    SELECT a.id INTO found FROM annotator.annotators a WHERE a.name = who_name;
    RETURN found;
END $$;

CREATE TRIGGER suggestion_models_announce AFTER INSERT OR UPDATE OR DELETE
    ON suggestion_models FOR EACH STATEMENT EXECUTE FUNCTION announce_change();
CREATE TRIGGER rejected_suggestions_announce AFTER INSERT OR UPDATE OR DELETE
    ON rejected_suggestions FOR EACH STATEMENT EXECUTE FUNCTION announce_change();
