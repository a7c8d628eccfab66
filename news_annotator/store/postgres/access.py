"""Who may write what in a server project: PostgreSQL grants and row-level security.

`grant` (run by the project's owner) lets a role annotate as the annotator of the same
name: it may read everything and write its own spans, relations and statuses (the
policies in migrations/0001_initial.sql hold it to those rows). A curator may also write
`gold`, add documents and change the schema. Nobody but the owner changes a document.
See docs/team-server.md.
"""

from __future__ import annotations

from psycopg import sql

from news_annotator.errors import ProjectError
from news_annotator.store.database import utc_now
from news_annotator.store.postgres.connection import SCHEMA, ServerDatabase
from news_annotator.store.protocol import Access

READ_TABLES = ("meta", "members", "documents", "document_search", "annotators", "layers",
               "labels", "relation_types", "spans", "relations", "document_status",
               "suggestion_models", "rejected_suggestions")
OWN_WORK_TABLES = ("spans", "relations", "document_status", "rejected_suggestions")
CURATOR_TABLES = ("layers", "labels", "relation_types", "suggestion_models")


def read_access(db: ServerDatabase) -> Access:
    """The connected role's standing in the project."""
    role, owner, curator = db.query(
        "SELECT current_user::text, "
        "pg_has_role(current_user, c.relowner, 'USAGE') OR r.rolsuper OR r.rolbypassrls, "
        "EXISTS (SELECT 1 FROM members m WHERE m.role = current_user::text AND m.curator) "
        "FROM pg_class c, pg_roles r WHERE c.oid = 'spans'::regclass "
        "AND r.rolname = current_user").fetchone()
    return Access(role=role, owner=bool(owner), curator=bool(owner or curator))


def grant_again(db: ServerDatabase, access: Access) -> None:
    """Every member's grants once more, after a migration added tables (owner only)."""
    for role, curator in db.query("SELECT m.role, m.curator FROM members m JOIN pg_roles r "
                                  "ON r.rolname = m.role ORDER BY m.role").fetchall():
        grant(db, access, role, curator=curator)


def grant(db: ServerDatabase, access: Access, role: str, *, curator: bool) -> None:
    """Let `role` annotate as annotator `role` (and curate, with `curator`)."""
    if not access.owner:
        raise ProjectError(f"{db.address}: only the project's owner may grant; connected as "
                           f"{access.role!r}")
    if not role or role.startswith("pg_"):
        raise ProjectError(f"{role!r}: not a role that can annotate")
    if db.query("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
        raise ProjectError(f"{db.address}: the server has no role {role!r}; create it first "
                           f"(CREATE ROLE {role} LOGIN PASSWORD '...')")
    who = sql.Identifier(role)

    def tables(names: tuple[str, ...]) -> sql.Composable:
        return sql.SQL(", ").join(sql.Identifier(SCHEMA, name) for name in names)

    with db.transaction():
        run = db.query
        run(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(SCHEMA), who))
        run(sql.SQL("GRANT SELECT ON {} TO {}").format(tables(READ_TABLES), who))
        run(sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(
            tables(OWN_WORK_TABLES), who))
        curator_grants = [
            sql.SQL("INSERT ON {}").format(tables(("documents",))),
            sql.SQL("INSERT, UPDATE, DELETE ON {}").format(tables(CURATOR_TABLES)),
            sql.SQL("INSERT, UPDATE ON {}").format(tables(("meta",))),
            sql.SQL("EXECUTE ON FUNCTION {}(text, text, text)").format(
                sql.Identifier(SCHEMA, "rename_label")),
        ]
        for privileges in curator_grants:
            if curator:
                run(sql.SQL("GRANT {} TO {}").format(privileges, who))
            else:
                run(sql.SQL("REVOKE {} FROM {}").format(privileges, who))
        run("INSERT INTO members(role, curator, granted_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (role) DO UPDATE SET curator = excluded.curator, "
            "granted_at = excluded.granted_at", (role, curator, utc_now()))
        run("INSERT INTO annotators(name) VALUES (%s) ON CONFLICT (name) DO NOTHING", (role,))
