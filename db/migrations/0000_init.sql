CREATE TABLE "classifications" (
	"tool_hash" text NOT NULL,
	"classifier_version" text NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"risk" text NOT NULL,
	"confidence" real NOT NULL,
	"rationale" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"signals" jsonb NOT NULL,
	"rule_ids" jsonb NOT NULL,
	"method" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "classifications_pkey" PRIMARY KEY("tool_hash","classifier_version")
);
--> statement-breakpoint
CREATE TABLE "crawl_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "crawl_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"summary" jsonb
);
--> statement-breakpoint
CREATE TABLE "introspections" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "introspections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"server_version_id" integer NOT NULL,
	"crawl_run_id" integer,
	"outcome" text NOT NULL,
	"failure_reason" text,
	"failure_message" text,
	"stderr_tail" text DEFAULT '' NOT NULL,
	"method" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"timings" jsonb NOT NULL,
	"server_info" jsonb,
	"protocol_version" text,
	"capabilities" jsonb,
	"instructions" text,
	"tool_count" integer NOT NULL,
	CONSTRAINT "introspections_outcome_check" CHECK ("introspections"."outcome" in ('ok', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "server_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "server_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"server_id" integer NOT NULL,
	"version" text NOT NULL,
	"published_at" timestamp with time zone,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "servers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "servers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"registry" text NOT NULL,
	"identifier" text NOT NULL,
	"display_name" text NOT NULL,
	"description" text,
	"repository_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tools" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tools_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"server_version_id" integer NOT NULL,
	"name" text NOT NULL,
	"hash" text NOT NULL,
	"definition" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "introspections" ADD CONSTRAINT "introspections_server_version_id_server_versions_id_fk" FOREIGN KEY ("server_version_id") REFERENCES "public"."server_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "introspections" ADD CONSTRAINT "introspections_crawl_run_id_crawl_runs_id_fk" FOREIGN KEY ("crawl_run_id") REFERENCES "public"."crawl_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "server_versions" ADD CONSTRAINT "server_versions_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tools" ADD CONSTRAINT "tools_server_version_id_server_versions_id_fk" FOREIGN KEY ("server_version_id") REFERENCES "public"."server_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "classifications_newest_idx" ON "classifications" USING btree ("tool_hash","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "introspections_newest_idx" ON "introspections" USING btree ("server_version_id","started_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "introspections_crawl_run_id_idx" ON "introspections" USING btree ("crawl_run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "server_versions_server_id_version_key" ON "server_versions" USING btree ("server_id","version");--> statement-breakpoint
CREATE INDEX "server_versions_newest_idx" ON "server_versions" USING btree ("server_id","first_seen_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE UNIQUE INDEX "servers_registry_identifier_key" ON "servers" USING btree ("registry","identifier");--> statement-breakpoint
CREATE INDEX "servers_repository_url_idx" ON "servers" USING btree ("repository_url");--> statement-breakpoint
CREATE UNIQUE INDEX "tools_server_version_id_name_key" ON "tools" USING btree ("server_version_id","name");--> statement-breakpoint
CREATE INDEX "tools_hash_idx" ON "tools" USING btree ("hash");