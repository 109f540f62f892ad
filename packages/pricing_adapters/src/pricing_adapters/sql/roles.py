"""PostgreSQL roles that keep the audit log append-only whatever the application is made to do.

The audit log's triggers refuse UPDATE, DELETE and TRUNCATE, but a table's owner (and a
superuser) may `ALTER TABLE audit_log DISABLE TRIGGER ALL` and then delete. So the schema
belongs to an *owner* role that only migrations use, and the application connects as a
*runtime* role that owns nothing and may only read and insert audit rows.
`setup_roles` creates both (idempotently) and hands them the schema; docs/database-roles.md
has the same SQL for whoever runs it by hand. `privilege_warnings` is what /ready reports.
"""

from __future__ import annotations

import re
import secrets

import attrs
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from pricing_adapters.sql.migrate import upgrade

__all__ = ["RoleSetup", "privilege_warnings", "role_url", "setup_roles"]

AUDIT_TABLE = "audit_log"
MIGRATIONS_TABLE = "alembic_version"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _checked(name: str) -> str:
    """A role name safe to put in SQL as is (identifiers cannot be bound parameters)."""
    if not _NAME.fullmatch(name):
        raise ValueError(
            f"role name {name!r}: use lower-case letters, digits and _ (at most 63), "
            "starting with a letter or _"
        )
    return name


@attrs.frozen(kw_only=True)
class RoleSetup:
    """What `setup_roles` did, one line per change, and the passwords it set (if asked)."""

    actions: tuple[str, ...]
    passwords: dict[str, str] = attrs.field(factory=dict, repr=False)


def _ensure_role(conn: Connection, name: str, actions: list[str]) -> None:
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
    if exists:
        actions.append(f"role {name}: exists")
    else:
        conn.execute(text(f"CREATE ROLE {name} LOGIN"))
        actions.append(f"role {name}: created")


def _make_runtime_harmless(conn: Connection, runtime: str, owner: str, actions: list[str]) -> None:
    """An existing runtime role loses what would let it bypass the grants."""
    row = conn.execute(
        text(
            "SELECT rolsuper OR rolcreaterole OR rolbypassrls, pg_has_role(:r, :o, 'MEMBER') "
            "FROM pg_roles WHERE rolname = :r"
        ),
        {"r": runtime, "o": owner},
    ).one()
    if row[0]:
        conn.execute(text(f"ALTER ROLE {runtime} NOSUPERUSER NOCREATEROLE NOBYPASSRLS"))
        actions.append(f"role {runtime}: superuser, createrole and bypassrls taken away")
    if row[1]:
        conn.execute(text(f"REVOKE {owner} FROM {runtime}"))
        actions.append(f"role {runtime}: no longer a member of {owner}")


def _transfer_ownership(conn: Connection, schema: str, owner: str, actions: list[str]) -> None:
    """Tables, views, free sequences and functions of `schema` now belong to `owner`
    (sequences of identity columns follow their tables; extensions' objects are left)."""
    relations = conn.execute(
        text(
            """
            SELECT c.relname, c.relkind, pg_get_userbyid(c.relowner)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = :schema AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND pg_get_userbyid(c.relowner) <> :owner
              AND NOT EXISTS (
                  SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                    AND d.deptype IN ('a', 'i', 'e'))
            ORDER BY c.relkind = 'S', c.relname
            """
        ),
        {"schema": schema, "owner": owner},
    ).all()
    kinds = {"S": "SEQUENCE", "v": "VIEW", "m": "MATERIALIZED VIEW", "f": "FOREIGN TABLE"}
    for name, kind, before in relations:
        statement = kinds.get(kind, "TABLE")
        conn.execute(text(f'ALTER {statement} {schema}."{name}" OWNER TO {owner}'))
        actions.append(f"{statement.lower()} {name}: owner {before} -> {owner}")
    functions = conn.execute(
        text(
            """
            SELECT p.oid::regprocedure::text, pg_get_userbyid(p.proowner)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = :schema AND pg_get_userbyid(p.proowner) <> :owner
              AND NOT EXISTS (
                  SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
            ORDER BY 1
            """
        ),
        {"schema": schema, "owner": owner},
    ).all()
    for signature, before in functions:
        conn.execute(text(f"ALTER FUNCTION {signature} OWNER TO {owner}"))
        actions.append(f"function {signature}: owner {before} -> {owner}")
    if not relations and not functions:
        actions.append(f"ownership: everything in schema {schema} already belongs to {owner}")


def grant_statements(schema: str, owner: str, runtime: str) -> list[str]:
    """The grants, in order; each may run any number of times."""
    return [
        f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {owner}",
        f"GRANT USAGE ON SCHEMA {schema} TO {runtime}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {runtime}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {runtime}",
        # The audit log: read and append, nothing else.
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {schema}.{AUDIT_TABLE} "
        f"FROM {runtime}",
        # Only migrations (the owner) move the schema's revision.
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {schema}.{MIGRATIONS_TABLE} FROM {runtime}",
        # Tables later migrations create are usable at once (see docs/database-roles.md).
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {runtime}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {runtime}",
    ]


def setup_roles(
    engine: Engine, *, owner: str, runtime: str, set_passwords: bool = False
) -> RoleSetup:
    """Create `owner` and `runtime` if missing, migrate the schema, give it to `owner`, and
    grant `runtime` what the application needs. `engine` connects as a superuser (or a role
    with CREATEROLE that owns the schema and is a member of `owner`). Idempotent.

    `set_passwords` gives both roles new random passwords, returned once.
    """
    owner, runtime = _checked(owner), _checked(runtime)
    if owner == runtime:
        raise ValueError("the owner and the runtime roles must differ")
    if engine.dialect.name != "postgresql":
        raise ValueError("database roles exist on PostgreSQL only; SQLite has none")
    actions: list[str] = []
    if upgrade(engine):
        actions.append("schema: migrated to the newest revision")
    passwords: dict[str, str] = {}
    with engine.begin() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        schema = _checked(schema)
        for name in (owner, runtime):
            _ensure_role(conn, name, actions)
        _make_runtime_harmless(conn, runtime, owner, actions)
        _transfer_ownership(conn, schema, owner, actions)
        for statement in grant_statements(schema, owner, runtime):
            conn.execute(text(statement))
        actions.append(
            f"grants: {runtime} may read and write the application's tables, only read and "
            f"insert into {AUDIT_TABLE}, only read {MIGRATIONS_TABLE}"
        )
        if set_passwords:
            for name in (owner, runtime):
                # URL-safe characters only: nothing to escape inside the literal.
                passwords[name] = secrets.token_urlsafe(24)
                conn.execute(text(f"ALTER ROLE {name} PASSWORD '{passwords[name]}'"))
                actions.append(f"role {name}: new password set")
    return RoleSetup(actions=tuple(actions), passwords=passwords)


def role_url(url: str, role: str, password: str | None = None) -> str:
    """`url` with `role` (and `password`, if given) as its user."""
    return make_url(url).set(username=role, password=password).render_as_string(False)


def privilege_warnings(engine: Engine) -> list[str]:
    """Why the application's database role could defeat the append-only audit log; empty
    when it cannot (and always on SQLite, which has no roles)."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as conn:
        superuser, owns, changes = conn.execute(
            text(
                """
                SELECT r.rolsuper,
                       coalesce(pg_has_role(current_user, c.relowner, 'MEMBER'), false),
                       coalesce(has_table_privilege(c.oid, 'UPDATE')
                                OR has_table_privilege(c.oid, 'DELETE')
                                OR has_table_privilege(c.oid, 'TRUNCATE'), false)
                FROM pg_roles r
                LEFT JOIN pg_class c ON c.oid = to_regclass(:audit)
                WHERE r.rolname = current_user
                """
            ),
            {"audit": AUDIT_TABLE},
        ).one()
    found = []
    if superuser:
        found.append(
            "the database role is a superuser: it can disable the audit log's triggers "
            "(run as a runtime role: docs/database-roles.md)"
        )
    elif owns:
        found.append(
            "the database role owns the audit log: it can disable its triggers "
            "(run as a runtime role: docs/database-roles.md)"
        )
    elif changes:
        found.append("the database role may update, delete or truncate audit rows")
    return found
