CREATE TABLE "tool_code_effects" (
	"server_version_id" integer NOT NULL,
	"tool_name" text NOT NULL,
	"handler_found" boolean NOT NULL,
	"handler_file" text,
	"handler_line" integer,
	"effects" jsonb NOT NULL,
	"truncated" boolean DEFAULT false NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tool_code_effects_pkey" PRIMARY KEY("server_version_id","tool_name")
);
--> statement-breakpoint
ALTER TABLE "tool_code_effects" ADD CONSTRAINT "tool_code_effects_server_version_id_server_versions_id_fk" FOREIGN KEY ("server_version_id") REFERENCES "public"."server_versions"("id") ON DELETE cascade ON UPDATE no action;