"""The access services assembled from settings: memory, SQL and (optionally) Redis adapters."""

from __future__ import annotations

from datetime import timedelta
from secrets import token_bytes, token_hex

import attrs
import redis
from sqlalchemy import Engine

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
from pricing_adapters.password_list import load_blocklist
from pricing_adapters.pyjwt_tokens import PyJwtTokenCodec
from pricing_adapters.redis_failures import FallbackFailureCounter, RedisFailureCounter
from pricing_adapters.redis_revocations import RedisCachedRevocationStore
from pricing_adapters.secrets import SystemSecrets
from pricing_adapters.settings import Settings
from pricing_adapters.sql.accounts import SqlApiKeyStore, SqlUserStore
from pricing_adapters.sql.audit import SqlAuditLog
from pricing_adapters.sql.sessions import SqlRefreshTokenStore, SqlRevocationStore
from pricing_core.access.passwords import PasswordPolicy
from pricing_core.access.ports import (
    ApiKeyStore,
    AuditLog,
    FailureCounter,
    RefreshTokenStore,
    RevocationStore,
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

REDIS_TIMEOUT_SECONDS = 0.5  # a hung Redis must not hold a request: fall back instead


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


def _stores(settings: Settings, engine: Engine | None, window: timedelta) -> _Stores:
    client = (
        redis.Redis.from_url(
            settings.redis_url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        if settings.redis_url
        else None
    )
    failures: FailureCounter = (
        FallbackFailureCounter(
            RedisFailureCounter(client, window=window), InMemoryFailureCounter(window)
        )
        if client
        else InMemoryFailureCounter(window)
    )
    if engine is None:
        return _Stores(
            users=InMemoryUserStore(),
            refresh_tokens=InMemoryRefreshTokenStore(),
            revocations=InMemoryRevocationStore(),
            api_keys=InMemoryApiKeyStore(),
            audit=InMemoryAuditLog(),
            failures=failures,
        )
    revocations: RevocationStore = SqlRevocationStore(engine)
    if client is not None:
        revocations = RedisCachedRevocationStore(SqlRevocationStore(engine), client)
    return _Stores(
        users=SqlUserStore(engine),
        refresh_tokens=SqlRefreshTokenStore(engine),
        revocations=revocations,
        api_keys=SqlApiKeyStore(engine),
        audit=SqlAuditLog(engine),
        failures=failures,
    )


def build_access(settings: Settings, engine: Engine | None, clock: Clock) -> AccessServices:
    tokens = TokenPolicy()
    throttle = ThrottlePolicy()
    stores = _stores(settings, engine, throttle.window)
    if settings.jwt_keys:
        keys = parse_key_set(settings.jwt_keys)
    elif engine is None:
        # memory://: accounts and sessions die with the process, and so may its key; the
        # data folder is left untouched.
        keys = KeySet.of(JwtKey.hs256(f"memory-{token_hex(4)}", token_bytes(32)))
    else:
        keys = load_or_create_local_key(settings.data_dir / "jwt-key.json")
    codec = PyJwtTokenCodec(
        keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience, leeway=tokens.leeway
    )
    secrets = SystemSecrets()
    hasher = Argon2PasswordHasher()
    auditor = Auditor(log=stores.audit, clock=clock)
    sessions = Sessions(
        codec=codec, refresh_tokens=stores.refresh_tokens, secrets=secrets, policy=tokens
    )
    passwords = PasswordPolicy(
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
        ),
        update_profile=UpdateProfile(users=users, auditor=auditor),
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
            users=users, sessions=sessions, api_keys=api_keys, auditor=auditor, clock=clock
        ),
        deactivate_user=DeactivateUser(
            users=users, sessions=sessions, api_keys=api_keys, auditor=auditor, clock=clock
        ),
        reactivate_user=ReactivateUser(users=users, auditor=auditor),
        reset_password=ResetPassword(accounts=accounts, sessions=sessions),
        create_api_key=CreateApiKey(
            api_keys=api_keys, secrets=secrets, auditor=auditor, clock=clock
        ),
        revoke_api_key=RevokeApiKey(api_keys=api_keys, auditor=auditor, clock=clock),
        list_api_keys=ListApiKeys(api_keys=api_keys),
        read_audit=ReadAudit(log=stores.audit),
        record_denied=RecordDenied(auditor=auditor),
    )
