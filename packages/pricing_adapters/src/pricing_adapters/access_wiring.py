"""The access services assembled from settings: memory, SQL and (optionally) Redis adapters."""

from __future__ import annotations

from datetime import timedelta
from secrets import token_bytes, token_hex

import attrs

from pricing_adapters.access_memory import (
    InMemoryApiKeyStore,
    InMemoryAuditLog,
    InMemoryFailureCounter,
    InMemoryRefreshTokenStore,
    InMemoryRevocationStore,
    InMemoryUserStore,
)
from pricing_adapters.argon2_hasher import Argon2PasswordHasher
from pricing_adapters.jwt_keys import JwtKey, KeySet, load_or_create_local_key, parse_key_set
from pricing_adapters.memory_uow import MemoryUnitOfWork
from pricing_adapters.password_list import load_blocklist
from pricing_adapters.ports import Ports
from pricing_adapters.pyjwt_tokens import PyJwtTokenCodec
from pricing_adapters.redis_failures import FallbackFailureCounter, RedisFailureCounter
from pricing_adapters.redis_link import RedisLink, connect_redis
from pricing_adapters.redis_revocations import RedisCachedRevocationStore
from pricing_adapters.secrets import SystemSecrets
from pricing_adapters.settings import Settings
from pricing_adapters.sql.accounts import SqlApiKeyStore, SqlUserStore
from pricing_adapters.sql.audit import SqlAuditLog
from pricing_adapters.sql.sessions import SqlRefreshTokenStore, SqlRevocationStore
from pricing_adapters.sql.unit_of_work import SqlUnitOfWork
from pricing_core.access.passwords import PasswordPolicy
from pricing_core.access.ports import (
    ApiKeyStore,
    AuditLog,
    FailureCounter,
    RefreshTokenStore,
    RevocationStore,
    TokenCodec,
    UserStore,
)
from pricing_core.access.service import (
    AccountFactory,
    Auditor,
    Authenticate,
    ChangePassword,
    ChangeRole,
    CreateApiKey,
    CreateUser,
    DeactivateUser,
    GetUser,
    ListApiKeys,
    ListUsers,
    Login,
    Logout,
    ReactivateUser,
    ReadAudit,
    RecordDenied,
    Refresh,
    Register,
    RegistrationPolicy,
    ResetPassword,
    RevokeApiKey,
    Sessions,
    UpdateProfile,
)
from pricing_core.access.tokens import ThrottlePolicy, TokenPolicy
from pricing_core.ports import Clock

__all__ = ["AccessServices", "build_access"]


@attrs.frozen(kw_only=True)
class AccessServices:
    """Every access use case, plus the stores the command line reads directly."""

    users: UserStore
    audit_log: AuditLog
    authenticate: Authenticate
    login: Login
    refresh: Refresh
    logout: Logout
    change_password: ChangePassword
    update_profile: UpdateProfile
    register: Register
    create_user: CreateUser
    list_users: ListUsers
    get_user: GetUser
    change_role: ChangeRole
    deactivate_user: DeactivateUser
    reactivate_user: ReactivateUser
    reset_password: ResetPassword
    create_api_key: CreateApiKey
    revoke_api_key: RevokeApiKey
    list_api_keys: ListApiKeys
    read_audit: ReadAudit
    record_denied: RecordDenied


@attrs.frozen(kw_only=True)
class _Stores:
    users: UserStore
    refresh_tokens: RefreshTokenStore
    revocations: RevocationStore
    api_keys: ApiKeyStore
    audit: AuditLog
    failures: FailureCounter


def _stores(
    uow: MemoryUnitOfWork | SqlUnitOfWork, window: timedelta, link: RedisLink | None, ports: Ports
) -> _Stores:
    built = _built_stores(uow, window, link)
    return _Stores(
        users=ports.users or built.users,
        refresh_tokens=ports.refresh_tokens or built.refresh_tokens,
        revocations=ports.revocations or built.revocations,
        api_keys=ports.api_keys or built.api_keys,
        audit=ports.audit_log or built.audit,
        failures=ports.failures or built.failures,
    )


def _built_stores(
    uow: MemoryUnitOfWork | SqlUnitOfWork, window: timedelta, link: RedisLink | None
) -> _Stores:
    # A hung Redis must not hold a request: the link's short timeouts and its breaker, shared
    # with the rate limiter, send these to memory and SQL instead (redis_breaker).
    failures: FailureCounter = (
        FallbackFailureCounter(
            RedisFailureCounter(
                link.client, window=window, prefix=link.failures_prefix, breaker=link.breaker
            ),
            InMemoryFailureCounter(window),
        )
        if link
        else InMemoryFailureCounter(window)
    )
    # The stores that a change writes to, with its audit row, share the unit of work; the
    # revocation list and the failure counter stand alone (a revocation is never undone).
    if isinstance(uow, MemoryUnitOfWork):
        return _Stores(
            users=InMemoryUserStore(uow=uow),
            refresh_tokens=InMemoryRefreshTokenStore(uow=uow),
            revocations=InMemoryRevocationStore(),
            api_keys=InMemoryApiKeyStore(uow=uow),
            audit=InMemoryAuditLog(uow=uow),
            failures=failures,
        )
    engine = uow.engine
    revocations: RevocationStore = SqlRevocationStore(engine)
    if link is not None:
        revocations = RedisCachedRevocationStore(
            SqlRevocationStore(engine),
            link.client,
            prefix=link.revoked_prefix,
            breaker=link.breaker,
        )
    return _Stores(
        users=SqlUserStore(engine, uow),
        refresh_tokens=SqlRefreshTokenStore(engine, uow),
        revocations=revocations,
        api_keys=SqlApiKeyStore(engine, uow),
        audit=SqlAuditLog(engine, uow),
        failures=failures,
    )


def _codec(
    settings: Settings, uow: MemoryUnitOfWork | SqlUnitOfWork, tokens: TokenPolicy
) -> TokenCodec:
    if settings.jwt_keys:
        keys = parse_key_set(settings.jwt_keys)
    elif isinstance(uow, MemoryUnitOfWork):
        # memory://: accounts and sessions die with the process, and so may its key; the
        # data folder is left untouched.
        keys = KeySet.of(JwtKey.hs256(f"memory-{token_hex(4)}", token_bytes(32)))
    else:
        keys = load_or_create_local_key(settings.data_dir / "jwt-key.json")
    return PyJwtTokenCodec(
        keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience, leeway=tokens.leeway
    )


def build_access(
    settings: Settings,
    clock: Clock,
    uow: MemoryUnitOfWork | SqlUnitOfWork,
    ports: Ports | None = None,
    *,
    redis_link: RedisLink | None = None,
) -> AccessServices:
    """The access use cases on `uow`'s backend; `ports` replaces stores, the hasher, the codec
    or the secrets; `redis_link`: the process's Redis pool and breaker, shared with the rate
    limiter (a link of its own without it, when `PRICING_REDIS_URL` is set)."""
    ports = ports or Ports()
    tokens = TokenPolicy()
    throttle = ThrottlePolicy()
    stores = _stores(uow, throttle.window, redis_link or connect_redis(settings), ports)
    codec = ports.token_codec or _codec(settings, uow, tokens)
    secrets = ports.secrets or SystemSecrets()
    hasher = ports.hasher or Argon2PasswordHasher()
    auditor = Auditor(log=stores.audit, clock=clock)
    sessions = Sessions(
        codec=codec, refresh_tokens=stores.refresh_tokens, secrets=secrets, policy=tokens
    )
    passwords = ports.passwords or PasswordPolicy(
        min_length=settings.password_min_length,
        blocklist=load_blocklist(),
        context_words=settings.password_context_words,
    )
    accounts = AccountFactory(
        users=stores.users,
        hasher=hasher,
        passwords=passwords,
        secrets=secrets,
        auditor=auditor,
        clock=clock,
        uow=uow,
        one_time_password_ttl=timedelta(hours=settings.one_time_password_hours),
    )
    users, api_keys = stores.users, stores.api_keys
    return AccessServices(
        users=users,
        audit_log=stores.audit,
        authenticate=Authenticate(
            users=users,
            codec=codec,
            revocations=stores.revocations,
            api_keys=api_keys,
            secrets=secrets,
            auditor=auditor,
            clock=clock,
        ),
        login=Login(
            users=users,
            hasher=hasher,
            sessions=sessions,
            failures=stores.failures,
            throttle=throttle,
            auditor=auditor,
            clock=clock,
            uow=uow,
        ),
        refresh=Refresh(users=users, sessions=sessions, auditor=auditor, clock=clock),
        logout=Logout(
            refresh_tokens=stores.refresh_tokens,
            revocations=stores.revocations,
            auditor=auditor,
            clock=clock,
        ),
        change_password=ChangePassword(
            users=users,
            hasher=hasher,
            passwords=passwords,
            sessions=sessions,
            revocations=stores.revocations,
            failures=stores.failures,
            throttle=throttle,
            auditor=auditor,
            clock=clock,
            uow=uow,
        ),
        update_profile=UpdateProfile(users=users, auditor=auditor, uow=uow),
        register=Register(
            accounts=accounts,
            policy=RegistrationPolicy(
                enabled=settings.registration_enabled,
                allowed_domains=frozenset(settings.registration_domains),
            ),
        ),
        create_user=CreateUser(accounts=accounts),
        list_users=ListUsers(users=users),
        get_user=GetUser(users=users),
        change_role=ChangeRole(
            users=users,
            sessions=sessions,
            api_keys=api_keys,
            auditor=auditor,
            clock=clock,
            uow=uow,
        ),
        deactivate_user=DeactivateUser(
            users=users,
            sessions=sessions,
            api_keys=api_keys,
            auditor=auditor,
            clock=clock,
            uow=uow,
        ),
        reactivate_user=ReactivateUser(users=users, auditor=auditor, uow=uow),
        reset_password=ResetPassword(accounts=accounts, sessions=sessions),
        create_api_key=CreateApiKey(
            api_keys=api_keys, secrets=secrets, auditor=auditor, clock=clock, uow=uow
        ),
        revoke_api_key=RevokeApiKey(api_keys=api_keys, auditor=auditor, clock=clock, uow=uow),
        list_api_keys=ListApiKeys(api_keys=api_keys),
        read_audit=ReadAudit(log=stores.audit),
        record_denied=RecordDenied(auditor=auditor),
    )
