-- user_llm_providers: users' LLM providers with encrypted API keys (PostgreSQL 13+).
--
-- Produces the same table as the Alembic revisions 0001_user_llm_providers and
-- 0006_provider_health (src/binscribe/migrations/versions/), which is what `binscribe db upgrade` applies; a test
-- checks both on a real PostgreSQL. gen_random_uuid() is built in since PostgreSQL 13.
-- Constraint and index names follow the models' naming convention.

BEGIN;

CREATE TABLE user_llm_providers (
    id                   UUID         NOT NULL DEFAULT gen_random_uuid(),
    name                 VARCHAR(255) NOT NULL,
    provider_type        VARCHAR(20)  NOT NULL,
    -- Fernet token of the API key; never the key itself.
    encrypted_api_key    TEXT,
    -- At most the last 4 characters of the key, for display.
    api_key_hint         VARCHAR(8),
    -- First 16 hex digits of SHA-256 of the encryption key that made encrypted_api_key.
    key_fingerprint      VARCHAR(16),
    endpoint_url         TEXT,
    default_model        VARCHAR(255),
    config_json          JSONB        NOT NULL DEFAULT '{}',
    is_active            BOOLEAN      NOT NULL DEFAULT true,
    last_test_status     VARCHAR(16),
    last_test_error_code VARCHAR(64),
    last_test_message    TEXT,
    last_test_latency_ms INTEGER,
    last_tested_at       TIMESTAMP WITH TIME ZONE,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    -- What produced the stored health: 'test', 'probe' (automatic re-check) or 'job'.
    last_test_source     VARCHAR(16),
    -- When an automatic health probe last started (rate limit across API processes).
    health_probe_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_user_llm_providers PRIMARY KEY (id),
    CONSTRAINT uq_user_llm_providers_name UNIQUE (name),
    CONSTRAINT ck_user_llm_providers_provider_type
        CHECK (provider_type IN ('openai', 'anthropic', 'gemini', 'ollama')),
    CONSTRAINT ck_user_llm_providers_last_test_status
        CHECK (last_test_status IS NULL OR last_test_status IN ('success', 'failure')),
    CONSTRAINT ck_user_llm_providers_last_test_source
        CHECK (last_test_source IS NULL OR last_test_source IN ('test', 'probe', 'job'))
);

CREATE INDEX ix_user_llm_providers_is_active ON user_llm_providers (is_active);
CREATE INDEX ix_user_llm_providers_provider_type ON user_llm_providers (provider_type);

COMMIT;
