import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole data model of DESIGN.md. Money columns are bigint nano-USD; every id is a uuid
 * except high-volume append-only tables (bigint identity). audit_logs refuses UPDATE, DELETE
 * and TRUNCATE at the database level.
 */
export class InitialSchema1764403200000 implements MigrationInterface {
  name = 'InitialSchema1764403200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE tenants (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        status text NOT NULL DEFAULT 'active',
        currency text NOT NULL DEFAULT 'USD',
        billing_mode text NOT NULL DEFAULT 'postpaid',
        price_adjustment_bps integer NOT NULL DEFAULT 0,
        stripe_customer_id text,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tenants_pkey PRIMARY KEY (id),
        CONSTRAINT tenants_status_ck CHECK (status IN ('active', 'suspended')),
        CONSTRAINT tenants_billing_mode_ck CHECK (billing_mode IN ('prepaid', 'postpaid'))
      )`);
    await db.query(`CREATE INDEX tenants_created_at_idx ON tenants (created_at, id)`);

    await db.query(`
      CREATE TABLE admin_principals (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        tenant_id uuid,
        name text NOT NULL,
        role text NOT NULL,
        token_hash character(64) NOT NULL,
        token_prefix text NOT NULL,
        revoked_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT admin_principals_pkey PRIMARY KEY (id),
        CONSTRAINT admin_principals_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
        CONSTRAINT admin_principals_role_ck CHECK (role IN ('owner', 'admin', 'viewer'))
      )`);
    await db.query(`CREATE UNIQUE INDEX admin_principals_token_hash_uq ON admin_principals (token_hash)`);
    await db.query(`CREATE INDEX admin_principals_tenant_idx ON admin_principals (tenant_id)`);

    await db.query(`
      CREATE TABLE api_keys (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        key_hash character(64) NOT NULL,
        prefix text NOT NULL,
        status text NOT NULL DEFAULT 'active',
        allowed_models text[],
        rpm integer,
        tpm integer,
        max_concurrency integer,
        budget_nano_usd bigint,
        budget_period text,
        expires_at timestamptz,
        revoked_at timestamptz,
        rotated_to_id uuid,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT api_keys_pkey PRIMARY KEY (id),
        CONSTRAINT api_keys_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
        CONSTRAINT api_keys_status_ck CHECK (status IN ('active', 'revoked')),
        CONSTRAINT api_keys_budget_period_ck CHECK (budget_period IN ('day', 'month', 'total')),
        CONSTRAINT api_keys_budget_ck CHECK ((budget_nano_usd IS NULL) = (budget_period IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX api_keys_key_hash_uq ON api_keys (key_hash)`);
    await db.query(`CREATE INDEX api_keys_tenant_created_idx ON api_keys (tenant_id, created_at, id)`);

    await db.query(`
      CREATE TABLE providers (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL,
        profile text,
        base_url text NOT NULL,
        status text NOT NULL DEFAULT 'active',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT providers_pkey PRIMARY KEY (id),
        CONSTRAINT providers_kind_ck CHECK (kind IN ('openai', 'openai_compatible', 'anthropic', 'gemini')),
        CONSTRAINT providers_status_ck CHECK (status IN ('active', 'disabled'))
      )`);
    await db.query(`CREATE UNIQUE INDEX providers_name_uq ON providers (name)`);

    await db.query(`
      CREATE TABLE provider_credentials (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        provider_id uuid NOT NULL,
        label text,
        key_version integer NOT NULL,
        ciphertext bytea NOT NULL,
        hint text NOT NULL,
        status text NOT NULL DEFAULT 'active',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT provider_credentials_pkey PRIMARY KEY (id),
        CONSTRAINT provider_credentials_provider_fk FOREIGN KEY (provider_id) REFERENCES providers (id) ON DELETE CASCADE,
        CONSTRAINT provider_credentials_status_ck CHECK (status IN ('active', 'disabled'))
      )`);
    await db.query(`CREATE INDEX provider_credentials_provider_idx ON provider_credentials (provider_id)`);

    await db.query(`
      CREATE TABLE models (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        aliases text[] NOT NULL DEFAULT '{}',
        owned_by text,
        public boolean NOT NULL DEFAULT true,
        status text NOT NULL DEFAULT 'active',
        context_window integer,
        capabilities jsonb NOT NULL DEFAULT '{}'::jsonb,
        input_price bigint NOT NULL,
        cached_input_price bigint NOT NULL,
        cache_write_price bigint NOT NULL,
        output_price bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT models_pkey PRIMARY KEY (id),
        CONSTRAINT models_status_ck CHECK (status IN ('active', 'disabled')),
        CONSTRAINT models_prices_ck CHECK (input_price >= 0 AND cached_input_price >= 0 AND cache_write_price >= 0 AND output_price >= 0)
      )`);
    await db.query(`CREATE UNIQUE INDEX models_name_uq ON models (name)`);

    await db.query(`
      CREATE TABLE model_deployments (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        model_id uuid NOT NULL,
        provider_id uuid NOT NULL,
        upstream_model text NOT NULL,
        priority integer NOT NULL DEFAULT 0,
        weight integer NOT NULL DEFAULT 1,
        status text NOT NULL DEFAULT 'active',
        input_cost bigint NOT NULL,
        cached_input_cost bigint NOT NULL,
        cache_write_cost bigint NOT NULL,
        output_cost bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT model_deployments_pkey PRIMARY KEY (id),
        CONSTRAINT model_deployments_model_fk FOREIGN KEY (model_id) REFERENCES models (id) ON DELETE CASCADE,
        CONSTRAINT model_deployments_provider_fk FOREIGN KEY (provider_id) REFERENCES providers (id),
        CONSTRAINT model_deployments_status_ck CHECK (status IN ('active', 'disabled')),
        CONSTRAINT model_deployments_weight_ck CHECK (priority >= 0 AND weight >= 0)
      )`);
    await db.query(`CREATE INDEX model_deployments_model_idx ON model_deployments (model_id)`);

    await db.query(`
      CREATE TABLE tenant_price_overrides (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        model_id uuid NOT NULL,
        input_price bigint NOT NULL,
        cached_input_price bigint NOT NULL,
        cache_write_price bigint NOT NULL,
        output_price bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tenant_price_overrides_pkey PRIMARY KEY (id),
        CONSTRAINT tenant_price_overrides_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
        CONSTRAINT tenant_price_overrides_model_fk FOREIGN KEY (model_id) REFERENCES models (id) ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE UNIQUE INDEX tenant_price_overrides_uq ON tenant_price_overrides (tenant_id, model_id)`,
    );

    // No foreign keys: the hottest insert path, written by the worker; tenants and keys are never deleted.
    await db.query(`
      CREATE TABLE usage_events (
        id bigserial NOT NULL,
        request_id text NOT NULL,
        tenant_id uuid NOT NULL,
        api_key_id uuid NOT NULL,
        model text NOT NULL,
        model_id uuid,
        deployment_id uuid,
        provider_id uuid,
        upstream_model text,
        protocol text NOT NULL,
        input_tokens integer NOT NULL,
        cached_input_tokens integer NOT NULL,
        cache_write_tokens integer NOT NULL,
        output_tokens integer NOT NULL,
        reasoning_tokens integer NOT NULL,
        usage_estimated boolean NOT NULL,
        cost_nano_usd bigint NOT NULL,
        price_nano_usd bigint NOT NULL,
        outcome text NOT NULL,
        status integer NOT NULL,
        error_code text,
        stream boolean NOT NULL,
        latency_ms integer NOT NULL,
        ttfb_ms integer,
        started_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT usage_events_pkey PRIMARY KEY (id),
        CONSTRAINT usage_events_outcome_ck CHECK (outcome IN ('success', 'upstream_error', 'client_abort', 'gateway_error'))
      )`);
    await db.query(`CREATE UNIQUE INDEX usage_events_request_id_uq ON usage_events (request_id)`);
    await db.query(`CREATE INDEX usage_events_tenant_started_idx ON usage_events (tenant_id, started_at)`);
    await db.query(`CREATE INDEX usage_events_key_started_idx ON usage_events (api_key_id, started_at)`);

    await db.query(`
      CREATE TABLE usage_rollups (
        tenant_id uuid NOT NULL,
        api_key_id uuid NOT NULL,
        model text NOT NULL,
        day date NOT NULL,
        requests bigint NOT NULL,
        input_tokens bigint NOT NULL,
        cached_input_tokens bigint NOT NULL,
        cache_write_tokens bigint NOT NULL,
        output_tokens bigint NOT NULL,
        reasoning_tokens bigint NOT NULL,
        cost_nano_usd bigint NOT NULL,
        price_nano_usd bigint NOT NULL,
        CONSTRAINT usage_rollups_pkey PRIMARY KEY (tenant_id, api_key_id, model, day)
      )`);

    await db.query(`
      CREATE TABLE credit_ledger (
        id bigserial NOT NULL,
        tenant_id uuid NOT NULL,
        kind text NOT NULL,
        amount_nano_usd bigint NOT NULL,
        reference text NOT NULL,
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT credit_ledger_pkey PRIMARY KEY (id),
        CONSTRAINT credit_ledger_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
        CONSTRAINT credit_ledger_kind_ck CHECK (kind IN ('topup', 'grant', 'usage', 'refund', 'adjustment'))
      )`);
    await db.query(`CREATE UNIQUE INDEX credit_ledger_reference_uq ON credit_ledger (kind, reference)`);
    await db.query(`CREATE INDEX credit_ledger_tenant_idx ON credit_ledger (tenant_id, created_at)`);

    await db.query(`
      CREATE TABLE invoices (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        status text NOT NULL DEFAULT 'draft',
        currency text NOT NULL DEFAULT 'USD',
        total_nano_usd bigint NOT NULL,
        stripe_invoice_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT invoices_pkey PRIMARY KEY (id),
        CONSTRAINT invoices_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
        CONSTRAINT invoices_status_ck CHECK (status IN ('draft', 'issued', 'paid', 'void'))
      )`);
    await db.query(`CREATE UNIQUE INDEX invoices_tenant_period_uq ON invoices (tenant_id, period_start)`);

    await db.query(`
      CREATE TABLE invoice_lines (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL,
        model text NOT NULL,
        requests bigint NOT NULL,
        input_tokens bigint NOT NULL,
        output_tokens bigint NOT NULL,
        amount_nano_usd bigint NOT NULL,
        stripe_invoice_item_id text,
        CONSTRAINT invoice_lines_pkey PRIMARY KEY (id),
        CONSTRAINT invoice_lines_invoice_fk FOREIGN KEY (invoice_id) REFERENCES invoices (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX invoice_lines_invoice_model_uq ON invoice_lines (invoice_id, model)`);

    await db.query(`
      CREATE TABLE audit_logs (
        id bigserial NOT NULL,
        tenant_id uuid,
        actor_type text NOT NULL,
        actor_id text,
        actor_role text,
        action text NOT NULL,
        target_type text,
        target_id text,
        before jsonb,
        after jsonb,
        ip text,
        user_agent text,
        request_id text,
        prev_hash character(64),
        hash character(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT audit_logs_pkey PRIMARY KEY (id)
      )`);
    await db.query(`CREATE INDEX audit_logs_tenant_created_idx ON audit_logs (tenant_id, created_at, id)`);
    await db.query(`CREATE INDEX audit_logs_action_idx ON audit_logs (action)`);
    await db.query(`
      CREATE FUNCTION audit_logs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_logs is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE ON audit_logs
      FOR EACH ROW EXECUTE FUNCTION audit_logs_refuse_change()`);
    await db.query(`
      CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
      FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_refuse_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'audit_logs',
      'invoice_lines',
      'invoices',
      'credit_ledger',
      'usage_rollups',
      'usage_events',
      'tenant_price_overrides',
      'model_deployments',
      'models',
      'provider_credentials',
      'providers',
      'api_keys',
      'admin_principals',
      'tenants',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(`DROP FUNCTION audit_logs_refuse_change()`);
  }
}
