CREATE TABLE "listing_tools" (
	"listing_id" bigint NOT NULL,
	"name" text NOT NULL,
	"tool_hash" text NOT NULL,
	CONSTRAINT "listing_tools_pkey" PRIMARY KEY("listing_id","name")
);
--> statement-breakpoint
CREATE TABLE "listings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "listings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"server_id" integer NOT NULL,
	"server_version_id" integer NOT NULL,
	"introspection_id" bigint NOT NULL,
	"listed_at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"list_hash" text NOT NULL,
	"tool_count" integer NOT NULL,
	"same_as_id" bigint
);
--> statement-breakpoint
CREATE TABLE "tool_definitions" (
	"hash" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "listing_tools" ADD CONSTRAINT "listing_tools_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_tools" ADD CONSTRAINT "listing_tools_tool_hash_tool_definitions_hash_fk" FOREIGN KEY ("tool_hash") REFERENCES "public"."tool_definitions"("hash") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_server_version_id_server_versions_id_fk" FOREIGN KEY ("server_version_id") REFERENCES "public"."server_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_introspection_id_introspections_id_fk" FOREIGN KEY ("introspection_id") REFERENCES "public"."introspections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_same_as_id_listings_id_fk" FOREIGN KEY ("same_as_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "listings_server_listed_idx" ON "listings" USING btree ("server_id","listed_at","id");